//! A deserializer over a parsed [`Value`] that reads clients' JSON as its schema says, where
//! serde's own is lenient or stricter than JSON Schema:
//! - a struct (a JSON object in the OpenAPI document) is never read from an array
//!   (`[null, null]` for `{"name": …, "description": …}`);
//! - an integral number written as a float (`3.0`) is an integer, as JSON Schema's `integer`
//!   says (serde refuses it for `i64`).

use serde::de::{self, DeserializeSeed, Deserializer, IntoDeserializer, Visitor};
use serde::forward_to_deserialize_any;
use serde_json::{Map, Value};

type Error = serde_json::Error;

/// See the module.
pub struct Strict(pub Value);

impl<'de> IntoDeserializer<'de, Error> for Strict {
    type Deserializer = Strict;
    fn into_deserializer(self) -> Strict {
        self
    }
}

/// The largest float that is still an exact `i64`/`u64` bound (2^63, 2^64).
const I64_END: f64 = 9_223_372_036_854_775_808.0;
const U64_END: f64 = 18_446_744_073_709_551_616.0;

fn visit_number<'de, V: Visitor<'de>>(n: &serde_json::Number, v: V) -> Result<V::Value, Error> {
    if let Some(i) = n.as_i64() {
        return v.visit_i64(i);
    }
    if let Some(u) = n.as_u64() {
        return v.visit_u64(u);
    }
    let f = n.as_f64().unwrap_or(f64::NAN);
    if f.fract() == 0.0 {
        // In range, an integral float is the integer it writes (exactly: |f| < 2^64).
        if (-I64_END..I64_END).contains(&f) {
            return v.visit_i64(f as i64);
        }
        if (0.0..U64_END).contains(&f) {
            return v.visit_u64(f as u64);
        }
    }
    v.visit_f64(f)
}

fn visit_map<'de, V: Visitor<'de>>(m: Map<String, Value>, v: V) -> Result<V::Value, Error> {
    let mut access = de::value::MapDeserializer::new(m.into_iter().map(|(k, x)| (k, Strict(x))));
    let out = v.visit_map(&mut access)?;
    access.end()?;
    Ok(out)
}

fn unexpected(v: &Value) -> de::Unexpected<'_> {
    match v {
        Value::Null => de::Unexpected::Unit,
        Value::Bool(b) => de::Unexpected::Bool(*b),
        Value::Number(_) => de::Unexpected::Other("number"),
        Value::String(s) => de::Unexpected::Str(s),
        Value::Array(_) => de::Unexpected::Seq,
        Value::Object(_) => de::Unexpected::Map,
    }
}

impl<'de> Deserializer<'de> for Strict {
    type Error = Error;

    fn deserialize_any<V: Visitor<'de>>(self, v: V) -> Result<V::Value, Error> {
        match self.0 {
            Value::Null => v.visit_unit(),
            Value::Bool(b) => v.visit_bool(b),
            Value::Number(n) => visit_number(&n, v),
            Value::String(s) => v.visit_string(s),
            Value::Array(items) => {
                let mut access = de::value::SeqDeserializer::new(items.into_iter().map(Strict));
                let out = v.visit_seq(&mut access)?;
                access.end()?;
                Ok(out)
            }
            Value::Object(m) => visit_map(m, v),
        }
    }

    fn deserialize_option<V: Visitor<'de>>(self, v: V) -> Result<V::Value, Error> {
        match self.0 {
            Value::Null => v.visit_none(),
            other => v.visit_some(Strict(other)),
        }
    }

    fn deserialize_newtype_struct<V: Visitor<'de>>(
        self,
        _name: &'static str,
        v: V,
    ) -> Result<V::Value, Error> {
        v.visit_newtype_struct(self)
    }

    fn deserialize_struct<V: Visitor<'de>>(
        self,
        _name: &'static str,
        _fields: &'static [&'static str],
        v: V,
    ) -> Result<V::Value, Error> {
        match self.0 {
            Value::Object(m) => visit_map(m, v),
            other => Err(de::Error::invalid_type(unexpected(&other), &v)),
        }
    }

    fn deserialize_enum<V: Visitor<'de>>(
        self,
        _name: &'static str,
        _variants: &'static [&'static str],
        v: V,
    ) -> Result<V::Value, Error> {
        match self.0 {
            Value::String(s) => v.visit_enum(s.into_deserializer()),
            Value::Object(m) if m.len() == 1 => {
                let (variant, value) = m.into_iter().next().expect("one entry");
                v.visit_enum(Enum { variant, value })
            }
            other => Err(de::Error::invalid_type(unexpected(&other), &v)),
        }
    }

    forward_to_deserialize_any! {
        bool i8 i16 i32 i64 i128 u8 u16 u32 u64 u128 f32 f64 char str string
        bytes byte_buf unit unit_struct seq tuple tuple_struct map identifier ignored_any
    }
}

/// An externally tagged enum's `{"variant": value}`.
struct Enum {
    variant: String,
    value: Value,
}

impl<'de> de::EnumAccess<'de> for Enum {
    type Error = Error;
    type Variant = Strict;

    fn variant_seed<S: DeserializeSeed<'de>>(self, seed: S) -> Result<(S::Value, Strict), Error> {
        let name = seed.deserialize(self.variant.into_deserializer())?;
        Ok((name, Strict(self.value)))
    }
}

impl<'de> de::VariantAccess<'de> for Strict {
    type Error = Error;

    fn unit_variant(self) -> Result<(), Error> {
        match self.0 {
            Value::Null => Ok(()),
            other => Err(de::Error::invalid_type(unexpected(&other), &"unit variant")),
        }
    }

    fn newtype_variant_seed<S: DeserializeSeed<'de>>(self, seed: S) -> Result<S::Value, Error> {
        seed.deserialize(self)
    }

    fn tuple_variant<V: Visitor<'de>>(self, _len: usize, v: V) -> Result<V::Value, Error> {
        self.deserialize_any(v)
    }

    fn struct_variant<V: Visitor<'de>>(
        self,
        fields: &'static [&'static str],
        v: V,
    ) -> Result<V::Value, Error> {
        self.deserialize_struct("", fields, v)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde::Deserialize;
    use serde_json::json;

    #[derive(Debug, Deserialize, PartialEq)]
    struct Inner {
        n: i64,
    }

    #[derive(Debug, Deserialize, PartialEq)]
    struct Outer {
        name: Option<String>,
        inner: Inner,
        #[serde(default)]
        ratio: f64,
        #[serde(default)]
        kind: Option<Kind>,
    }

    #[derive(Debug, Deserialize, PartialEq)]
    #[serde(rename_all = "snake_case")]
    enum Kind {
        Plain,
        Sized(u32),
    }

    fn read<T: serde::de::DeserializeOwned>(v: Value) -> Result<T, Error> {
        T::deserialize(Strict(v))
    }

    #[test]
    fn structs_are_read_from_objects_only_at_every_depth() {
        assert!(read::<Outer>(json!([null, {"n": 1}])).is_err());
        assert!(read::<Outer>(json!({"name": null, "inner": [1]})).is_err());
        let ok: Outer = read(json!({"name": "a", "inner": {"n": 1}})).unwrap();
        assert_eq!(ok.inner, Inner { n: 1 });
        // serde_json itself is lenient here: the case this module exists for.
        assert!(serde_json::from_value::<Outer>(json!([null, {"n": 1}])).is_ok());
    }

    #[test]
    fn integral_floats_are_integers_and_others_stay_floats() {
        let ok: Outer = read(json!({"inner": {"n": 3.0}, "ratio": 2, "name": null})).unwrap();
        assert_eq!((ok.inner.n, ok.ratio), (3, 2.0));
        assert!(read::<Inner>(json!({"n": 3.5})).is_err());
        assert!(read::<Inner>(json!({"n": 1e300})).is_err());
        assert_eq!(
            read::<u64>(json!(1.8e19)).unwrap(),
            18_000_000_000_000_000_000
        );
        assert!(read::<u32>(json!(-1.0)).is_err());
    }

    #[test]
    fn enums_options_and_unknown_fields_read_as_serde_json_reads_them() {
        let ok: Outer = read(json!({"inner": {"n": 1}, "kind": "plain", "name": null})).unwrap();
        assert_eq!(ok.kind, Some(Kind::Plain));
        let ok: Outer =
            read(json!({"inner": {"n": 1}, "kind": {"sized": 2.0}, "name": "x"})).unwrap();
        assert_eq!(ok.kind, Some(Kind::Sized(2)));
        assert!(read::<Outer>(json!({"inner": {"n": 1}, "kind": "other", "name": null})).is_err());
        #[derive(Debug, Deserialize)]
        #[serde(deny_unknown_fields)]
        #[allow(dead_code)]
        struct Closed {
            a: bool,
        }
        assert!(read::<Closed>(json!({"a": true, "b": 1})).is_err());
        assert!(read::<Closed>(json!({"a": true})).is_ok());
    }
}
