//! Generated artefacts must match the code: the TypeScript bindings used by the UI and the
//! OpenAPI document in docs/. `BATON_UPDATE_BINDINGS=1 cargo test --test suite bindings::` rewrites them.

use std::path::Path;

fn check(path: &str, fresh: &str) {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join(path);
    if std::env::var("BATON_UPDATE_BINDINGS").is_ok() {
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(&path, fresh).unwrap();
        return;
    }
    let committed = std::fs::read_to_string(&path).unwrap_or_default();
    assert!(
        committed == fresh,
        "{} is stale: run `BATON_UPDATE_BINDINGS=1 cargo test --test suite bindings::` and commit it",
        path.display()
    );
}

#[test]
fn typescript_bindings_are_current() {
    let ts = baton::bindings::render();
    // Every command of the command list is in the TypeScript map.
    for name in baton::api::COMMANDS {
        assert!(
            ts.contains(&format!("  {name}: {{ args: ")),
            "{name} missing"
        );
    }
    assert!(ts.contains("export type HandoffConfiguration = {"));
    // Every type a declaration names is declared too (a type left out of `render` would only
    // show up as a compile error in the UI).
    let declared: std::collections::HashSet<&str> = ts
        .lines()
        .filter_map(|l| l.strip_prefix("export type "))
        .filter_map(|l| l.split([' ', '<']).next())
        .collect();
    let builtin = ["Array", "Record", "Partial"];
    for word in ts
        .lines()
        // Declarations only, not their comments (`//`, `/** … */`).
        .filter(|l| !l.trim_start().starts_with(['/', '*']))
        // Nor string literals (`"GET" | "POST"` are values, not types).
        .map(|l| l.split('"').step_by(2).collect::<Vec<_>>().join(" "))
        .collect::<Vec<_>>()
        .iter()
        .flat_map(|l| l.split(|c: char| !c.is_alphanumeric() && c != '_'))
    {
        if word.starts_with(|c: char| c.is_ascii_uppercase()) && !builtin.contains(&word) {
            assert!(
                declared.contains(word),
                "{word} is used but not declared in the bindings"
            );
        }
    }
    check(baton::bindings::PATH, &ts);
}

#[test]
fn openapi_document_is_current() {
    let value = serde_json::to_value(baton::http::openapi_json()).unwrap();
    // Every `$ref` names a schema the document has (a dangling one breaks every client
    // generator and fuzzer that reads it).
    fn refs<'a>(v: &'a serde_json::Value, out: &mut Vec<&'a str>) {
        match v {
            serde_json::Value::Object(m) => {
                if let Some(r) = m.get("$ref").and_then(|r| r.as_str()) {
                    out.push(r);
                }
                m.values().for_each(|x| refs(x, out));
            }
            serde_json::Value::Array(a) => a.iter().for_each(|x| refs(x, out)),
            _ => {}
        }
    }
    let mut found = Vec::new();
    refs(&value, &mut found);
    assert!(!found.is_empty());
    let schemas = &value["components"]["schemas"];
    for r in found {
        let name = r
            .strip_prefix("#/components/schemas/")
            .unwrap_or_else(|| panic!("{r}: not a schema reference"));
        assert!(schemas.get(name).is_some(), "{r} is dangling");
    }
    let doc = serde_json::to_string_pretty(&baton::http::openapi_json()).unwrap() + "\n";
    check("docs/openapi.json", &doc);
}
