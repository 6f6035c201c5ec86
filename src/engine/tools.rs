//! Custom actions as a model's tools: the JSON schema of an action's parameters, and the check
//! of a tool call against that schema before anything is sent.
//!
//! The check is strict where a model's mistake would send a wrong request (a value of another
//! type, an enum value not offered, a parameter that does not exist, an email that is not one)
//! and lenient only where nothing is sent yet: a required value the model left out (or gave
//! as `null`) is not an error, the agent asks the visitor for it first.

use std::collections::BTreeMap;

use serde_json::{json, Map, Value};

use super::types::ActionSpec;
use crate::actions::model::{ActionParamType, ActionParameter};

/// Longest tool description sent, in characters (the action's description and its "when not
/// to use" together).
const MAX_DESCRIPTION_CHARS: usize = 3_200;

/// The tool (`{"type": "function", "function": {...}}`) an action is offered as.
pub fn tool(spec: &ActionSpec<'_>) -> Value {
    let mut description = spec.description.trim().to_owned();
    let not = spec.when_not_to_use.trim();
    if !not.is_empty() {
        description.push_str("\nWhen not to use: ");
        description.push_str(not);
    }
    if !spec.examples.is_empty() {
        description.push_str("\nVisitors ask for it like: ");
        let quoted: Vec<String> = spec.examples.iter().map(|e| json!(e).to_string()).collect();
        description.push_str(&quoted.join(", "));
    }
    let description: String = description.chars().take(MAX_DESCRIPTION_CHARS).collect();
    json!({
        "type": "function",
        "function": {
            "name": spec.name,
            "description": description,
            "parameters": schema(spec.parameters),
        },
    })
}

/// The JSON schema of the parameters: an object of exactly these properties.
pub fn schema(params: &[ActionParameter]) -> Value {
    let mut properties = Map::new();
    for p in params {
        let mut prop = match p.kind {
            ActionParamType::String => json!({"type": "string"}),
            ActionParamType::Integer => json!({"type": "integer"}),
            ActionParamType::Number => json!({"type": "number"}),
            ActionParamType::Boolean => json!({"type": "boolean"}),
            ActionParamType::Email => json!({"type": "string", "format": "email"}),
            ActionParamType::Enum => json!({"type": "string", "enum": p.values}),
        };
        let mut description = p.description.trim().to_owned();
        if let Some(example) = p.example.as_deref().filter(|e| !e.trim().is_empty()) {
            if !description.is_empty() {
                description.push(' ');
            }
            description.push_str(&format!("(example: {example})"));
        }
        if !description.is_empty() {
            prop["description"] = json!(description);
        }
        properties.insert(p.name.clone(), prop);
    }
    let required: Vec<&str> = params
        .iter()
        .filter(|p| p.required)
        .map(|p| p.name.as_str())
        .collect();
    json!({
        "type": "object",
        "properties": properties,
        "required": required,
        "additionalProperties": false,
    })
}

/// The values of a tool call (`arguments` as the model sent them: a JSON string, or an
/// object from servers that parse it), checked against the action's schema. The error says
/// what is wrong, naming the parameter, for the decision record.
pub fn check_call(
    params: &[ActionParameter],
    arguments: &Value,
) -> Result<BTreeMap<String, Value>, String> {
    let parsed;
    let args = match arguments {
        Value::String(s) if s.trim().is_empty() => {
            parsed = Value::Object(Map::new());
            &parsed
        }
        Value::String(s) => {
            parsed = serde_json::from_str::<Value>(s)
                .map_err(|e| format!("the arguments are not JSON ({e})"))?;
            &parsed
        }
        Value::Null => {
            parsed = Value::Object(Map::new());
            &parsed
        }
        other => other,
    };
    let Value::Object(args) = args else {
        return Err("the arguments are not a JSON object".into());
    };
    let mut out = BTreeMap::new();
    for (name, value) in args {
        let Some(p) = params.iter().find(|p| &p.name == name) else {
            return Err(format!("there is no parameter '{}'", clip(name)));
        };
        if value.is_null() {
            // "Not known": asked for when required.
            continue;
        }
        let ok = match p.kind {
            ActionParamType::String => value.as_str().is_some_and(|s| !s.trim().is_empty()),
            ActionParamType::Integer => value.is_i64() || value.is_u64(),
            ActionParamType::Number => value.is_number(),
            ActionParamType::Boolean => value.is_boolean(),
            ActionParamType::Email => value
                .as_str()
                .is_some_and(|s| crate::fields::is_valid_email(s.trim())),
            ActionParamType::Enum => value
                .as_str()
                .is_some_and(|s| p.values.iter().any(|v| v == s)),
        };
        if !ok {
            let expected = match p.kind {
                ActionParamType::String => "a non-empty string".to_owned(),
                ActionParamType::Integer => "an integer".to_owned(),
                ActionParamType::Number => "a number".to_owned(),
                ActionParamType::Boolean => "true or false".to_owned(),
                ActionParamType::Email => "an email address".to_owned(),
                ActionParamType::Enum => format!("one of {}", p.values.join(", ")),
            };
            return Err(format!(
                "parameter '{name}' must be {expected}, not {}",
                clip(&value.to_string())
            ));
        }
        out.insert(name.clone(), value.clone());
    }
    Ok(out)
}

/// A model-chosen text in an error, kept short.
fn clip(s: &str) -> String {
    let mut out: String = s.chars().take(80).collect();
    if out.len() < s.len() {
        out.push('…');
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::actions::model::ActionParamLocation;

    fn param(name: &str, kind: ActionParamType, required: bool) -> ActionParameter {
        ActionParameter {
            name: name.into(),
            location: ActionParamLocation::Query,
            kind,
            values: if kind == ActionParamType::Enum {
                vec!["checkup".into(), "cleaning".into()]
            } else {
                Vec::new()
            },
            description: format!("The {name}"),
            required,
            example: None,
        }
    }

    fn params() -> Vec<ActionParameter> {
        vec![
            param("order_id", ActionParamType::String, true),
            param("count", ActionParamType::Integer, false),
            param("price", ActionParamType::Number, false),
            param("gift", ActionParamType::Boolean, false),
            param("email", ActionParamType::Email, false),
            param("kind", ActionParamType::Enum, false),
        ]
    }

    #[test]
    fn the_schema_has_every_parameter_with_its_type_and_only_those() {
        let s = schema(&params());
        assert_eq!(s["type"], "object");
        assert_eq!(s["additionalProperties"], false);
        assert_eq!(s["required"], json!(["order_id"]));
        assert_eq!(s["properties"]["count"]["type"], "integer");
        assert_eq!(s["properties"]["price"]["type"], "number");
        assert_eq!(s["properties"]["gift"]["type"], "boolean");
        assert_eq!(s["properties"]["email"]["format"], "email");
        assert_eq!(
            s["properties"]["kind"]["enum"],
            json!(["checkup", "cleaning"])
        );
        assert_eq!(s["properties"]["order_id"]["description"], "The order_id");
    }

    #[test]
    fn a_valid_call_passes_as_a_string_or_an_object() {
        let p = params();
        let want: BTreeMap<String, Value> = [
            ("order_id".to_owned(), json!("A-4521")),
            ("count".to_owned(), json!(2)),
            ("kind".to_owned(), json!("cleaning")),
        ]
        .into();
        let as_string = json!(r#"{"order_id": "A-4521", "count": 2, "kind": "cleaning"}"#);
        assert_eq!(check_call(&p, &as_string).unwrap(), want);
        let as_object = json!({"order_id": "A-4521", "count": 2, "kind": "cleaning"});
        assert_eq!(check_call(&p, &as_object).unwrap(), want);
    }

    #[test]
    fn a_missing_or_null_required_value_is_left_to_be_asked_for() {
        let p = params();
        assert!(check_call(&p, &json!("{}")).unwrap().is_empty());
        assert!(check_call(&p, &json!({"order_id": null}))
            .unwrap()
            .is_empty());
        assert!(check_call(&p, &json!("")).unwrap().is_empty());
    }

    #[test]
    fn wrong_types_unknown_names_and_values_not_offered_are_refused() {
        let p = params();
        for (args, names) in [
            (json!({"order_id": 4521}), "order_id"),
            (json!({"order_id": "  "}), "order_id"),
            (json!({"count": "2"}), "count"),
            (json!({"count": 2.5}), "count"),
            (json!({"price": "9.99"}), "price"),
            (json!({"gift": "yes"}), "gift"),
            (json!({"email": "not-an-email"}), "email"),
            (json!({"kind": "whitening"}), "kind"),
            (json!({"kind": "Cleaning"}), "kind"),
            (json!({"order_id": "A-1", "admin": true}), "admin"),
        ] {
            let e = check_call(&p, &args).unwrap_err();
            assert!(e.contains(names), "{args}: {e}");
        }
        assert!(check_call(&p, &json!("{not json"))
            .unwrap_err()
            .contains("not JSON"));
        assert!(check_call(&p, &json!("[1, 2]"))
            .unwrap_err()
            .contains("not a JSON object"));
    }

    #[test]
    fn the_tool_says_when_not_to_use_it() {
        let p = params();
        let examples = vec!["where is my order".to_owned()];
        let spec = ActionSpec {
            name: "order_status",
            description: "Looks up an order.",
            when_not_to_use: "Not for refunds.",
            examples: &examples,
            parameters: &p,
        };
        let t = tool(&spec);
        assert_eq!(t["type"], "function");
        assert_eq!(t["function"]["name"], "order_status");
        let d = t["function"]["description"].as_str().unwrap();
        assert!(d.contains("Looks up an order."), "{d}");
        assert!(d.contains("When not to use: Not for refunds."), "{d}");
        assert!(d.contains("\"where is my order\""), "{d}");
    }
}
