//! What the server checks of a request, said in the OpenAPI document where JSON Schema can say
//! it (issue 15, point 8): a client generated from the document — or a fuzzer — then sends what
//! the server takes. The figures are the validators' own constants, named here once.
//!
//! - No string in a request body or query may hold NUL (`json` refuses it): every string
//!   property of a body schema, and every string query parameter, gets a NUL-free `pattern`.
//! - Names that must not be blank get a pattern that needs one character outside Unicode's
//!   White_Space (what `str::trim` removes), and their `maxLength`.
//! - Time zones are an `enum` of the IANA names the server knows (chrono-tz); emails, passwords,
//!   a visitor's metadata and attachments their bounds.
//! - Query parameters: the inbox cursor's shape, the export's format and days.
//!
//! What a schema cannot say (a template's variables, a URL's host, a phone number's numbering
//! plan, a rule between two fields) stays the validators' alone: their 422 names the field.

use serde_json::{json, Map, Value};

/// No NUL anywhere.
const NUL_FREE: &str = "^[^\\u0000]*$";
/// Unicode White_Space: what `char::is_whitespace` (and so `str::trim`) means, spelled out
/// because ECMA-262's `\s` and Python's differ from it and from each other.
const WHITE_SPACE: &str =
    "\\t\\n\\u000b\\f\\r \\u0085\\u00a0\\u1680\\u2000-\\u200a\\u2028\\u2029\\u202f\\u205f\\u3000";
/// A BCP 47 shape (`agents::check_language`).
const LANGUAGE: &str = "^[A-Za-z]{2,3}(-[A-Za-z0-9]{1,8})*$";

fn not_blank() -> String {
    format!("^[^\\u0000]*[^\\u0000{WHITE_SPACE}][^\\u0000]*$")
}

/// A rule for one string property.
#[derive(Clone, Copy)]
enum Rule {
    /// Not blank, at most this many characters.
    Name(usize),
    /// At most this many characters.
    Max(usize),
    /// A language tag of at most 35 characters.
    Language,
    /// An IANA time zone name.
    TimeZone,
    /// An email address (`fields::is_valid_email`).
    Email,
    /// Between these many characters.
    Between(usize, usize),
    /// A MIME type: a `/`, at most 100 characters.
    Mime,
}

/// `(schema, property, rule)`: schemas by component name. A create and its update share
/// their fields' rules.
fn rules() -> Vec<(&'static str, &'static str, Rule)> {
    use crate::{agents, operators};
    use Rule::*;
    let password = Between(operators::PASSWORD_MIN_CHARS, operators::PASSWORD_MAX_CHARS);
    let pairs = [
        (
            "AgentCreate",
            "AgentUpdate",
            "name",
            Name(agents::NAME_MAX_CHARS),
        ),
        (
            "AgentCreate",
            "AgentUpdate",
            "description",
            Max(agents::DESCRIPTION_MAX_CHARS),
        ),
        ("AgentCreate", "AgentUpdate", "language", Language),
        (
            "OperatorCreate",
            "OperatorUpdate",
            "name",
            Name(operators::NAME_MAX_CHARS),
        ),
        ("OperatorCreate", "OperatorUpdate", "email", Email),
        ("OperatorCreate", "OperatorUpdate", "password", password),
        ("SettingsUpdate", "Settings", "timezone", TimeZone),
    ];
    let mut rules: Vec<_> = pairs
        .into_iter()
        .flat_map(|(create, update, prop, rule)| [(create, prop, rule), (update, prop, rule)])
        .collect();
    rules.extend([
        ("TokenCreate", "name", Name(crate::tokens::NAME_MAX_CHARS)),
        ("ConversationStart", "timezone", TimeZone),
        ("ConversationStart", "visitor_id", Max(200)),
        ("ConversationStart", "language", Max(35)),
        (
            "VisitorMessageInput",
            "text",
            Max(crate::conversations::pipeline::MESSAGE_MAX_CHARS),
        ),
        ("Attachment", "name", Name(255)),
        ("Attachment", "mime_type", Mime),
    ]);
    rules
}

/// Applies the rules to `doc` (the document as JSON).
pub fn document(doc: &mut Value) {
    let nb = not_blank();
    let zones: Vec<Value> = chrono_tz::TZ_VARIANTS
        .iter()
        .map(|z| Value::from(z.name()))
        .collect();
    let schemas = doc
        .pointer_mut("/components/schemas")
        .and_then(Value::as_object_mut);
    if let Some(schemas) = schemas {
        // The zone names once, referred to where a zone goes.
        schemas.insert(
            "TimeZoneName".into(),
            json!({"type": "string", "enum": zones,
                   "description": "An IANA time zone name, e.g. `Europe/Berlin`."}),
        );
        for (name, prop, rule) in rules() {
            let Some(p) = schemas
                .get_mut(name)
                .and_then(|s| s.pointer_mut(&format!("/properties/{prop}")))
            else {
                panic!("the document has no {name}.{prop}: the rule is out of date");
            };
            apply(p, &rule, &nb);
        }
        for s in schemas.values_mut() {
            nul_free_strings(s);
        }
    }
    // Request bodies written inline in their operation.
    if let Some(paths) = doc.pointer_mut("/paths").and_then(Value::as_object_mut) {
        for item in paths.values_mut() {
            let Some(item) = item.as_object_mut() else {
                continue;
            };
            for op in item.values_mut() {
                if let Some(s) = op.pointer_mut("/requestBody/content/application~1json/schema") {
                    nul_free_strings(s);
                }
                // Query parameters become the command's arguments: the same NUL rule.
                for p in op
                    .get_mut("parameters")
                    .and_then(Value::as_array_mut)
                    .into_iter()
                    .flatten()
                {
                    if p["in"] == "query" {
                        if let Some(s) = p.get_mut("schema") {
                            nul_free_strings(s);
                        }
                    }
                }
            }
        }
        operator_text(paths, "/v1/conversations/{id}/notes", &nb);
        operator_text(paths, "/v1/conversations/{id}/reply", &nb);
        query(paths, "/v1/hours", "get", "visitor_timezone", |s| {
            *s = nullable_ref("TimeZoneName");
        });
        query(paths, "/v1/inbox", "get", "cursor", |s| {
            // `conversations::inbox::parse_cursor`: microseconds and an id.
            s["pattern"] = Value::from(crate::conversations::inbox::CURSOR_PATTERN);
        });
        query(paths, "/v1/leads/export", "get", "format", |s| {
            s["enum"] = json!(["csv", "xlsx"]);
        });
        for day in ["from", "to"] {
            query(paths, "/v1/leads/export", "get", day, |s| {
                s["format"] = Value::from("date");
            });
        }
    }
    // A visitor's metadata: so many keys, each and its value so long.
    if let Some(m) = doc.pointer_mut("/components/schemas/ConversationStart/properties/metadata") {
        use crate::conversations::pipeline as p;
        m["maxProperties"] = Value::from(p::METADATA_MAX_KEYS);
        m["propertyNames"]["maxLength"] = Value::from(p::METADATA_KEY_MAX_CHARS);
        m["additionalProperties"]["maxLength"] = Value::from(p::METADATA_VALUE_MAX_CHARS);
    }
    // A visitor message has text or an attachment.
    if let Some(m) = doc.pointer_mut("/components/schemas/VisitorMessageInput") {
        m["anyOf"] = json!([
            {"required": ["text"], "properties": {"text": {"pattern": nb}}},
            {"required": ["attachments"], "properties": {"attachments": {"minItems": 1}}}
        ]);
        m["properties"]["attachments"]["maxItems"] =
            Value::from(crate::conversations::pipeline::ATTACHMENTS_MAX);
    }
    if let Some(size) = doc.pointer_mut("/components/schemas/Attachment/properties/size") {
        size["maximum"] = Value::from(crate::conversations::pipeline::ATTACHMENT_MAX_BYTES);
    }
}

fn apply(p: &mut Value, rule: &Rule, not_blank: &str) {
    let nullable = p["type"]
        .as_array()
        .is_some_and(|t| t.contains(&json!("null")));
    match rule {
        Rule::Name(max) => {
            p["pattern"] = Value::from(not_blank);
            p["maxLength"] = Value::from(*max);
        }
        Rule::Max(max) => {
            p["maxLength"] = Value::from(*max);
        }
        Rule::Email => {
            p["format"] = Value::from("email");
            p["maxLength"] = Value::from(crate::fields::EMAIL_MAX_CHARS);
        }
        Rule::Between(min, max) => {
            p["minLength"] = Value::from(*min);
            p["maxLength"] = Value::from(*max);
        }
        Rule::Mime => {
            p["pattern"] = Value::from("^[^\\u0000]*/[^\\u0000]*$");
            p["maxLength"] = Value::from(crate::conversations::pipeline::MIME_TYPE_MAX_CHARS);
        }
        Rule::Language => {
            p["pattern"] = Value::from(LANGUAGE);
            p["maxLength"] = Value::from(35);
        }
        Rule::TimeZone => {
            let description = p.get("description").cloned();
            *p = if nullable {
                nullable_ref("TimeZoneName")
            } else {
                json!({"$ref": "#/components/schemas/TimeZoneName"})
            };
            if let Some(d) = description {
                p["description"] = d;
            }
        }
    }
}

fn nullable_ref(name: &str) -> Value {
    json!({"oneOf": [{"type": "null"}, {"$ref": format!("#/components/schemas/{name}")}]})
}

/// Every string property (at any depth of inline schemas) without a pattern, enum or format
/// gets the NUL-free pattern.
fn nul_free_strings(s: &mut Value) {
    let Some(o) = s.as_object_mut() else {
        return;
    };
    let is_string = match o.get("type") {
        Some(Value::String(t)) => t == "string",
        Some(Value::Array(ts)) => ts.contains(&json!("string")),
        _ => false,
    };
    if is_string
        && !o.contains_key("pattern")
        && !o.contains_key("enum")
        && !o.contains_key("format")
    {
        o.insert("pattern".into(), Value::from(NUL_FREE));
    }
    for key in ["properties"] {
        if let Some(Value::Object(props)) = o.get_mut(key) {
            props.values_mut().for_each(nul_free_strings);
        }
    }
    for key in ["items", "additionalProperties", "propertyNames"] {
        if let Some(x) = o.get_mut(key) {
            nul_free_strings(x);
        }
    }
    for key in ["oneOf", "anyOf", "allOf"] {
        if let Some(Value::Array(xs)) = o.get_mut(key) {
            xs.iter_mut().for_each(nul_free_strings);
        }
    }
}

fn operation<'a>(paths: &'a mut Map<String, Value>, path: &str, method: &str) -> &'a mut Value {
    paths
        .get_mut(path)
        .and_then(|i| i.get_mut(method))
        .unwrap_or_else(|| panic!("the document has no {method} {path}"))
}

/// An operator's note or reply (an inline body): its `text` not blank, within its limit.
fn operator_text(paths: &mut Map<String, Value>, path: &str, nb: &str) {
    let op = operation(paths, path, "post");
    let p = op
        .pointer_mut("/requestBody/content/application~1json/schema/properties/text")
        .unwrap_or_else(|| panic!("post {path} has no body property text"));
    p["pattern"] = Value::from(nb);
    p["maxLength"] = Value::from(crate::conversations::inbox::TEXT_MAX_CHARS);
}

fn query(
    paths: &mut Map<String, Value>,
    path: &str,
    method: &str,
    name: &str,
    f: impl FnOnce(&mut Value),
) {
    let op = operation(paths, path, method);
    let param = op["parameters"]
        .as_array_mut()
        .and_then(|ps| ps.iter_mut().find(|p| p["name"] == name))
        .unwrap_or_else(|| panic!("{method} {path} has no parameter {name}"));
    f(&mut param["schema"]);
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The patterns mean what the server checks (with Rust's `regex`, which reads these
    /// escapes as ECMA-262 and Python do).
    #[test]
    fn not_blank_is_trim_is_empty_and_nul_is_refused() {
        let re = regex::Regex::new(&not_blank()).unwrap();
        for s in ["a", " a ", "\u{feff}", "\u{1c}", "\u{200b}", "名"] {
            assert!(re.is_match(s), "{s:?} is not blank");
            assert!(!s.trim().is_empty());
        }
        for s in [
            "",
            " ",
            "\t\n",
            "\u{85}\u{a0}",
            "\u{3000}\u{2028}",
            "\u{0}",
            "a\u{0}",
        ] {
            assert!(!re.is_match(s), "{s:?}");
        }
        let all_ws: String = (0..=0x10FFFFu32)
            .filter_map(char::from_u32)
            .filter(|c| c.is_whitespace())
            .collect();
        for c in all_ws.chars() {
            assert!(!re.is_match(&c.to_string()), "{c:?} is white space to trim");
        }
        let nul = regex::Regex::new(NUL_FREE).unwrap();
        assert!(nul.is_match("any text\n"));
        assert!(!nul.is_match("a\u{0}b"));
    }
}
