//! Decoding of client JSON, with one error mapping: syntax errors are 400s, unknown fields and
//! wrong types are validation errors naming the field by its path.

use serde::de::DeserializeOwned;

mod strict;

use crate::error::Error;

/// Decodes a client's JSON body: one JSON value and nothing after it (trailing data is a 400,
/// not silently ignored), no NUL character in any string (a 422 naming where: NUL cuts
/// strings in C libraries, mail headers and PostgreSQL's text, which refuses it), objects
/// where the schema has objects and integral floats as integers ([`strict`]).
pub fn from_slice<T: DeserializeOwned>(bytes: &[u8]) -> Result<T, Error> {
    let mut de = serde_json::Deserializer::from_slice(bytes);
    let value = <serde_json::Value as serde::Deserialize>::deserialize(&mut de).map_err(|e| {
        Error::BadRequest {
            message: format!("request body is not valid JSON: {e}"),
            field: None,
        }
    })?;
    de.end().map_err(|e| Error::BadRequest {
        message: format!("request body has data after its JSON value: {e}"),
        field: None,
    })?;
    from_value(value)
}

/// The path (`a.b[2]`) of the first string or key holding a NUL, if any.
fn nul_path(v: &serde_json::Value, at: String) -> Option<String> {
    use serde_json::Value;
    match v {
        Value::String(s) => s.contains('\0').then_some(at),
        Value::Array(items) => items
            .iter()
            .enumerate()
            .find_map(|(i, x)| nul_path(x, format!("{at}[{i}]"))),
        Value::Object(m) => m.iter().find_map(|(k, x)| {
            // The path goes back in the error body: never with the NUL itself in it.
            let shown = k.replace('\0', "\\u0000");
            let here = if at.is_empty() {
                shown
            } else {
                format!("{at}.{shown}")
            };
            if k.contains('\0') {
                Some(here)
            } else {
                nul_path(x, here)
            }
        }),
        _ => None,
    }
}

/// Decodes arguments that arrive already parsed (the RPC and the desktop app's IPC), with the
/// same NUL rule as [`from_slice`].
pub fn from_value<T: DeserializeOwned>(value: serde_json::Value) -> Result<T, Error> {
    if let Some(path) = nul_path(&value, String::new()) {
        return Err(nul_error(path));
    }
    serde_path_to_error::deserialize(strict::Strict(value)).map_err(map_error)
}

/// For an optional field whose absence means "unchanged": present, it must hold a value —
/// `null` is a 422 naming the field, not read as "unchanged" (`#[serde(default,
/// deserialize_with = "crate::json::present")]`).
pub fn present<'de, D, T>(d: D) -> Result<Option<T>, D::Error>
where
    D: serde::Deserializer<'de>,
    T: serde::Deserialize<'de>,
{
    T::deserialize(d).map(Some)
}

fn nul_error(path: String) -> Error {
    let field = if path.is_empty() { "body".into() } else { path };
    Error::invalid(
        field,
        "invalid_value",
        "must not contain the NUL character (\\u0000)",
    )
}

fn map_error(e: serde_path_to_error::Error<serde_json::Error>) -> Error {
    let path = e.path().to_string();
    let inner = e.into_inner();
    if inner.is_syntax() || inner.is_eof() {
        return Error::BadRequest {
            message: format!("request body is not valid JSON: {inner}"),
            field: None,
        };
    }
    // serde_json appends " at line L column C"; the field path says more.
    let full = inner.to_string();
    let msg = full
        .rsplit_once(" at line ")
        .map_or(full.as_str(), |(m, _)| m)
        .to_owned();
    field_error(path, "body", msg)
}

/// A decoding error at `path` (serde_path_to_error's, `.` for the whole input, which is then
/// called `whole`) as the 422 naming it: `unknown_field` or `invalid_value`.
pub(crate) fn field_error(path: String, whole: &str, message: String) -> Error {
    let code = if message.starts_with("unknown field") {
        "unknown_field"
    } else {
        "invalid_value"
    };
    let field = if path == "." { whole.to_owned() } else { path };
    Error::invalid(field, code, message)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde::Deserialize;

    #[derive(Debug, Deserialize)]
    #[serde(deny_unknown_fields)]
    struct Input {
        text: String,
        #[serde(default)]
        #[allow(dead_code)] // only its decoding is tested
        tags: Vec<String>,
    }

    fn field(e: Error) -> String {
        match e {
            Error::Validation(v) => v[0].field.clone(),
            e => panic!("{e:?}"),
        }
    }

    #[test]
    fn trailing_data_after_the_value_is_refused() {
        for body in [
            &br#"{"text":"hello"} GARBAGE"#[..],
            br#"{"text":"hello"}{"text":"again"}"#,
            br#"{"text":"hello"} 1"#,
        ] {
            let e = from_slice::<Input>(body).unwrap_err();
            assert!(matches!(e, Error::BadRequest { .. }), "{e:?}");
        }
        // Whitespace after the value is not data.
        assert_eq!(
            from_slice::<Input>(b"{\"text\":\"hello\"} \r\n\t")
                .unwrap()
                .text,
            "hello"
        );
    }

    #[test]
    fn nul_is_refused_where_it_is() {
        let e = from_slice::<Input>(br#"{"text":"a\u0000b"}"#).unwrap_err();
        assert_eq!(field(e), "text");
        let e = from_slice::<Input>(br#"{"text":"ok","tags":["x","\u0000"]}"#).unwrap_err();
        assert_eq!(field(e), "tags[1]");
        // In a key, the path names it with the NUL written out (the body echoes no NUL).
        let e =
            from_value::<serde_json::Value>(serde_json::json!({"m": {"a\u{0}b": 1}})).unwrap_err();
        assert_eq!(field(e), "m.a\\u0000b");
        // A backslash followed by the text "u0000" is no NUL.
        let ok = from_slice::<Input>(br#"{"text":"a\\u0000b"}"#).unwrap();
        assert_eq!(ok.text, "a\\u0000b");
        let e = from_value::<Input>(serde_json::json!({"text": "a\u{0}"})).unwrap_err();
        assert_eq!(field(e), "text");
        // Other control characters, escaped, stay allowed (a newline is text).
        assert_eq!(
            from_slice::<Input>(br#"{"text":"a\nb"}"#).unwrap().text,
            "a\nb"
        );
    }
}
