//! Decoding of client JSON, with one error mapping: syntax errors are 400s, unknown fields and
//! wrong types are validation errors naming the field by its path.

use serde::de::DeserializeOwned;

use crate::error::Error;

pub fn from_slice<T: DeserializeOwned>(bytes: &[u8]) -> Result<T, Error> {
    let de = &mut serde_json::Deserializer::from_slice(bytes);
    serde_path_to_error::deserialize(de).map_err(map_error)
}

pub fn from_value<T: DeserializeOwned>(value: serde_json::Value) -> Result<T, Error> {
    serde_path_to_error::deserialize(value).map_err(map_error)
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
    let code = if msg.starts_with("unknown field") {
        "unknown_field"
    } else {
        "invalid_value"
    };
    let field = if path == "." { "body".to_owned() } else { path };
    Error::invalid(field, code, msg)
}
