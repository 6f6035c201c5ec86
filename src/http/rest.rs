//! The REST routes that are commands, served and documented from their declaration in the
//! command list (`#[rest(...)]` in `api.rs`, see [`api::Route`]): one generic handler and one
//! OpenAPI builder instead of a hand-written handler per route.
//!
//! The command's arguments are assembled from the request: path parameters and query
//! parameters are the argument fields of the same names, typed by the arguments' schema
//! (`{id}` is an integer), and the JSON body is either the remaining fields or the one field
//! the route names. Then the command runs exactly as over RPC.

use std::collections::HashMap;
use std::sync::LazyLock;

use axum::extract::{Path, RawQuery, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use axum::routing::{on, MethodFilter};
use axum::{Json, Router};
use serde_json::{json, Map, Value};
use utoipa::openapi::path::{HttpMethod, Operation};
use utoipa::openapi::OpenApi;

use super::extract::{Authed, OptionalJson};
use crate::api::{self, Route};
use crate::error::{Error, Result};
use crate::Baton;

static ROUTES: LazyLock<Vec<Route>> = LazyLock::new(api::routes);

/// The routes, for the server's router.
pub fn router() -> Router<Baton> {
    let mut router = Router::new();
    for route in ROUTES.iter() {
        router = router.route(route.path, on(filter(route.method), handler(route)));
    }
    router
}

fn filter(method: &str) -> MethodFilter {
    match method {
        "get" => MethodFilter::GET,
        "post" => MethodFilter::POST,
        "put" => MethodFilter::PUT,
        "patch" => MethodFilter::PATCH,
        "delete" => MethodFilter::DELETE,
        other => unreachable!("unsupported method {other} in the command list"),
    }
}

/// Field paths as the caller wrote them: a body that is the argument `changes` names its
/// fields `name`, not `changes.name`.
fn relative_to_body(route: &Route, e: Error) -> Error {
    let Some(body) = route.body else {
        return e;
    };
    let strip = |field: String| match field.strip_prefix(body) {
        Some("") => "body".to_owned(),
        Some(rest) if rest.starts_with('.') => rest[1..].to_owned(),
        _ => field,
    };
    match e {
        Error::Validation(errors) => Error::Validation(
            errors
                .into_iter()
                .map(|mut f| {
                    f.field = strip(f.field);
                    f
                })
                .collect(),
        ),
        Error::BadRequest { message, field } => Error::BadRequest {
            message,
            field: field.map(strip),
        },
        e => e,
    }
}

fn has_body(route: &Route) -> bool {
    !matches!(route.method, "get" | "delete")
}

fn handler(route: &'static Route) -> axum::routing::MethodRouter<Baton> {
    let run = move |b: Baton,
                    a: crate::auth::Actor,
                    path: HashMap<String, String>,
                    query: Option<String>,
                    body: Value| async move {
        let args = arguments(route, path, query.as_deref(), body)?;
        let out = api::dispatch(&b, &a, route.command, args)
            .await
            .map_err(|e| relative_to_body(route, e))?;
        Ok::<Response, Error>(match route.status {
            204 => StatusCode::NO_CONTENT.into_response(),
            201 => (StatusCode::CREATED, Json(out)).into_response(),
            _ => Json(out).into_response(),
        })
    };
    if has_body(route) {
        axum::routing::any(
            move |State(b): State<Baton>,
                  Authed(a): Authed,
                  PathParams(path): PathParams,
                  RawQuery(query): RawQuery,
                  OptionalJson(body): OptionalJson| async move {
                // No body is no arguments; a body of `null` is not an object.
                let body = match body {
                    None => Value::Null,
                    Some(Value::Null) if route.body.is_none() => {
                        return Err(Error::BadRequest {
                            message: "the body must be a JSON object".into(),
                            field: None,
                        })
                    }
                    Some(v) => v,
                };
                run(b, a, path, query, body).await
            },
        )
    } else {
        axum::routing::any(
            move |State(b): State<Baton>,
                  Authed(a): Authed,
                  PathParams(path): PathParams,
                  RawQuery(query): RawQuery| run(b, a, path, query, Value::Null),
        )
    }
}

/// The JSON type of each argument field (`integer`, `boolean`, `array`, …; `string` when the
/// schema says nothing simpler), read from the arguments' schema.
struct Fields(Map<String, Value>, HashMap<String, Value>);

impl Fields {
    fn of(route: &Route) -> Fields {
        let mut components = Vec::new();
        let schema = serde_json::to_value((route.args)(&mut components)).unwrap_or_default();
        let components = by_name(components);
        let mut props = schema
            .get("properties")
            .and_then(Value::as_object)
            .cloned()
            .unwrap_or_default();
        for p in props.values_mut() {
            *p = resolve(p, &components);
        }
        Fields(props, components)
    }

    fn has(&self, name: &str) -> bool {
        self.0.contains_key(name)
    }

    fn is(&self, name: &str, ty: &str) -> bool {
        self.0
            .get(name)
            .is_some_and(|s| self.types(s, 0).contains(&ty.to_owned()))
    }

    /// The JSON types a schema allows, through references and `oneOf` (an `Option<Id>`).
    fn types(&self, schema: &Value, depth: u8) -> Vec<String> {
        let schema = resolve(schema, &self.1);
        let mut out: Vec<String> = match schema.get("type") {
            Some(Value::String(t)) => vec![t.clone()],
            Some(Value::Array(ts)) => ts
                .iter()
                .filter_map(|t| t.as_str().map(str::to_owned))
                .collect(),
            _ => Vec::new(),
        };
        if depth < 4 {
            for key in ["oneOf", "anyOf", "allOf"] {
                for alt in schema
                    .get(key)
                    .and_then(Value::as_array)
                    .into_iter()
                    .flatten()
                {
                    out.extend(self.types(alt, depth + 1));
                }
            }
        }
        out
    }

    /// `raw` as the JSON value of field `name`; a malformed number is a 400 naming it.
    fn value(&self, name: &str, raw: &str) -> Result<Value> {
        let bad = |what: &str| Error::BadRequest {
            message: format!("'{raw}' is not {what}"),
            field: Some(name.to_owned()),
        };
        Ok(if self.is(name, "integer") {
            // `3.0` is an integer too, as JSON Schema counts (and as bodies read it).
            let integral = || {
                raw.parse::<f64>()
                    .ok()
                    .filter(|f| f.fract() == 0.0 && (-9.2e18..9.2e18).contains(f))
                    .map(|f| f as i64)
            };
            Value::from(
                raw.parse::<i64>()
                    .ok()
                    .or_else(integral)
                    .ok_or_else(|| bad("an integer"))?,
            )
        } else if self.is(name, "number") {
            Value::from(raw.parse::<f64>().map_err(|_| bad("a number"))?)
        } else if self.is(name, "boolean") {
            Value::from(raw.parse::<bool>().map_err(|_| bad("true or false"))?)
        } else {
            Value::from(raw)
        })
    }
}

type Components = Vec<(
    String,
    utoipa::openapi::RefOr<utoipa::openapi::schema::Schema>,
)>;

fn by_name(components: Components) -> HashMap<String, Value> {
    components
        .into_iter()
        .filter_map(|(n, s)| Some((n, serde_json::to_value(s).ok()?)))
        .collect()
}

/// `schema`, or the component it refers to (`{"$ref": "#/components/schemas/i64"}` for an id).
fn resolve(schema: &Value, components: &HashMap<String, Value>) -> Value {
    schema
        .get("$ref")
        .and_then(Value::as_str)
        .and_then(|r| r.strip_prefix("#/components/schemas/"))
        .and_then(|name| components.get(name))
        .cloned()
        .unwrap_or_else(|| schema.clone())
}

fn path_names(path: &str) -> Vec<&str> {
    path.split('/')
        .filter_map(|seg| seg.strip_prefix('{')?.strip_suffix('}'))
        .collect()
}

/// The command's arguments from the path, the query string and the body.
fn arguments(
    route: &Route,
    path: HashMap<String, String>,
    query: Option<&str>,
    body: Value,
) -> Result<Value> {
    let fields = Fields::of(route);
    let mut args = match (route.body, body) {
        (Some(field), body) => {
            let mut m = Map::new();
            m.insert(field.to_owned(), body);
            m
        }
        (None, Value::Null) => Map::new(),
        (None, Value::Object(m)) => m,
        (None, _) => {
            return Err(Error::BadRequest {
                message: "the body must be a JSON object".into(),
                field: None,
            })
        }
    };
    for (name, raw) in path {
        let v = fields.value(&name, &raw)?;
        // The path names the resource: a body naming another one is a mistake, not an override.
        if args.get(&name).is_some_and(|given| *given != v) {
            return Err(Error::invalid(
                name.as_str(),
                "conflicts_with_path",
                "differs from the value in the path",
            ));
        }
        args.insert(name, v);
    }
    let pairs: Vec<(String, String)> = match query {
        Some(q) => serde_urlencoded::from_str(q).map_err(|e| Error::BadRequest {
            message: format!("invalid query string: {e}"),
            field: None,
        })?,
        None => Vec::new(),
    };
    for (name, raw) in pairs {
        // `_` is the usual cache buster; anything else unknown is a mistake worth naming (a
        // misspelt `agent_id` would otherwise act on the default agent).
        if name == "_" {
            continue;
        }
        if !fields.has(&name) || name == route.body.unwrap_or_default() {
            return Err(Error::invalid(
                name.as_str(),
                "unknown_field",
                format!("unknown query parameter '{name}'"),
            ));
        }
        let v = fields.value(&name, &raw)?;
        if fields.is(&name, "array") {
            match args.entry(name).or_insert_with(|| Value::Array(Vec::new())) {
                Value::Array(items) => items.push(v),
                _ => unreachable!("array fields are arrays"),
            }
        } else if args.insert(name.clone(), v).is_some() {
            return Err(Error::BadRequest {
                message: format!("'{name}' is given twice"),
                field: Some(name),
            });
        }
    }
    Ok(Value::Object(args))
}

/// Adds the routes to the OpenAPI document: an operation per route named after its command,
/// its parameters and body from the arguments' schema, its answer from the result's.
pub fn document(doc: &mut OpenApi) {
    let mut components = Vec::new();
    for route in ROUTES.iter() {
        let args = serde_json::to_value((route.args)(&mut components)).unwrap_or_default();
        let result = serde_json::to_value((route.result)(&mut components)).unwrap_or_default();
        let named = by_name(components.clone());
        let props = args
            .get("properties")
            .and_then(Value::as_object)
            .cloned()
            .unwrap_or_default();
        let required: Vec<&str> = args
            .get("required")
            .and_then(Value::as_array)
            .map(|r| r.iter().filter_map(Value::as_str).collect())
            .unwrap_or_default();
        let in_path = path_names(route.path);
        let mut parameters = Vec::new();
        let mut body_props = Map::new();
        for (name, schema) in &props {
            let location = if in_path.contains(&name.as_str()) {
                "path"
            } else if !has_body(route)
                || (route.body.is_some() && route.body != Some(name.as_str()))
            {
                "query"
            } else {
                body_props.insert(name.clone(), schema.clone());
                continue;
            };
            let mut p = json!({
                "name": name,
                "in": location,
                "required": location == "path" || required.contains(&name.as_str()),
                "schema": without_description(&primitive(schema, &named)),
            });
            if let Some(d) = schema.get("description") {
                p["description"] = d.clone();
            }
            parameters.push(p);
        }
        let mut op = json!({
            "tags": [route.tag],
            "operationId": route.command,
            "parameters": parameters,
            "responses": responses(route, result),
        });
        let doc_text = route
            .doc
            .lines()
            .map(str::trim)
            .collect::<Vec<_>>()
            .join("\n");
        let doc_text = doc_text.trim();
        if !doc_text.is_empty() {
            let (summary, rest) = doc_text.split_once('\n').unwrap_or((doc_text, ""));
            op["summary"] = summary.into();
            if !rest.trim().is_empty() {
                op["description"] = doc_text.into();
            }
        }
        if has_body(route) {
            let (schema, needed) = match route.body {
                Some(field) => (
                    props.get(field).cloned().unwrap_or(json!({})),
                    required.contains(&field),
                ),
                None => {
                    let needed: Vec<&str> = required
                        .iter()
                        .copied()
                        .filter(|r| body_props.contains_key(*r))
                        .collect();
                    let mut s = json!({ "type": "object", "properties": body_props });
                    if !needed.is_empty() {
                        s["required"] = json!(needed);
                    }
                    if args.get("additionalProperties") == Some(&Value::Bool(false)) {
                        s["additionalProperties"] = Value::Bool(false);
                    }
                    (s, !needed.is_empty())
                }
            };
            op["requestBody"] = json!({
                "content": { "application/json": { "schema": schema } },
                "required": needed,
            });
        }
        any_value_as_true(&mut op);
        let op: Operation = match serde_json::from_value(op.clone()) {
            Ok(op) => op,
            // A schema utoipa cannot read back is a bug in this builder: name the route.
            Err(e) => panic!("OpenAPI operation of {}: {e}: {op:#}", route.command),
        };
        doc.paths
            .add_path_operation(route.path, vec![http_method(route.method)], op);
    }
    let schemas = &mut doc.components.get_or_insert_with(Default::default).schemas;
    for (name, schema) in components {
        schemas.entry(name).or_insert(schema);
    }
    dedupe(doc);
}

/// A parameter's schema with a reference to a plain type (`i64`) written out.
fn primitive(schema: &Value, components: &HashMap<String, Value>) -> Value {
    let resolved = resolve(schema, components);
    match resolved.get("type") {
        Some(Value::String(t)) if t != "object" && t != "array" => resolved,
        _ => schema.clone(),
    }
}

/// `additionalProperties: {}` (any value, from a map of JSON values) as the `true` it means:
/// utoipa reads only a schema with a type, or a boolean, back.
fn any_value_as_true(v: &mut Value) {
    match v {
        Value::Object(m) => {
            if m.get("additionalProperties") == Some(&json!({})) {
                m.insert("additionalProperties".into(), Value::Bool(true));
            }
            m.values_mut().for_each(any_value_as_true);
        }
        Value::Array(a) => a.iter_mut().for_each(any_value_as_true),
        _ => {}
    }
}

fn without_description(schema: &Value) -> Value {
    let mut s = schema.clone();
    if let Some(m) = s.as_object_mut() {
        m.remove("description");
    }
    s
}

fn http_method(method: &str) -> HttpMethod {
    match method {
        "get" => HttpMethod::Get,
        "post" => HttpMethod::Post,
        "put" => HttpMethod::Put,
        "patch" => HttpMethod::Patch,
        _ => HttpMethod::Delete,
    }
}

fn responses(route: &Route, result: Value) -> Value {
    let error = json!({ "content": { "application/json": { "schema": { "$ref": "#/components/schemas/ErrorBody" } } } });
    let mut out = Map::new();
    let ok = match route.status {
        204 => json!({ "description": "done" }),
        s => json!({
            "description": if s == 201 { "created" } else { "the result" },
            "content": { "application/json": { "schema": result } },
        }),
    };
    out.insert(route.status.to_string(), ok);
    for (status, what) in [
        ("400", "malformed request"),
        ("401", "no valid credential"),
        ("403", "not allowed for this credential"),
        ("404", "not found"),
        ("409", "conflict: changed meanwhile, or still in use"),
        ("413", "body too large"),
        ("422", "invalid fields, each named"),
    ] {
        let mut e = error.clone();
        e["description"] = what.into();
        out.insert(status.into(), e);
    }
    Value::Object(out)
}

/// The error answers every hand-written route can give, added where its description leaves
/// them out (the command routes list them already, see [`responses`]): `400` for a body,
/// path or query that does not parse, `413` for a body over the limit, `422` for invalid
/// fields, `401` without a valid credential (the bearer token, or a visitor route's
/// `X-Visitor-Token`), `403` for a credential not allowed, `429` on the rate-limited visitor
/// routes and the sign-in. All with the JSON error body.
pub fn complete_errors(doc: &mut OpenApi) {
    use utoipa::openapi::path::{Operation, ParameterIn};
    use utoipa::openapi::{ContentBuilder, Ref, RefOr, ResponseBuilder};
    let error = |what: &str| {
        RefOr::T(
            ResponseBuilder::new()
                .description(what)
                .content(
                    "application/json",
                    ContentBuilder::new()
                        .schema(Some(Ref::from_schema_name("ErrorBody")))
                        .build(),
                )
                .build(),
        )
    };
    for (path, item) in doc.paths.paths.iter_mut() {
        let ops: [(&str, &mut Option<Operation>); 5] = [
            ("get", &mut item.get),
            ("post", &mut item.post),
            ("put", &mut item.put),
            ("patch", &mut item.patch),
            ("delete", &mut item.delete),
        ];
        for (method, op) in ops {
            let Some(op) = op.as_mut() else { continue };
            let params = op.parameters.as_deref().unwrap_or_default();
            // A conversation's visitor routes take its token (a header, or `?token=` for the
            // event stream, which EventSource cannot give headers).
            let visitor_token = params
                .iter()
                .any(|p| p.name == "X-Visitor-Token" && p.parameter_in == ParameterIn::Header)
                || path.starts_with("/v1/visitor/conversations/{id}");
            let has_query = params.iter().any(|p| p.parameter_in == ParameterIn::Query);
            let has_body = op.request_body.is_some();
            // `security(())` opts out of the document's bearer default.
            let bearer = match &op.security {
                None => true,
                Some(list) => list.iter().any(|s| {
                    serde_json::to_value(s)
                        .is_ok_and(|v| v.as_object().is_some_and(|o| !o.is_empty()))
                }),
            };
            let limited =
                path.starts_with("/v1/visitor/") && method != "get" || path == "/v1/auth/login";
            let mut add = Vec::new();
            if has_body || !params.is_empty() {
                add.push((
                    "400",
                    "malformed request: a body, path or query that does not parse",
                ));
            }
            if has_body || has_query {
                add.push(("422", "invalid fields, each named"));
            }
            if has_body {
                add.push(("413", "body too large"));
            }
            if bearer || visitor_token {
                add.push(("401", "no valid credential"));
            }
            if bearer {
                add.push(("403", "not allowed for this credential"));
            }
            if limited {
                add.push((
                    "429",
                    "too many requests from this address: see Retry-After",
                ));
            }
            for (status, what) in add {
                op.responses
                    .responses
                    .entry(status.to_owned())
                    .or_insert_with(|| error(what));
            }
        }
    }
}

/// Replaces each inline copy of a named component schema in the paths by a `$ref` to it, so
/// the document reads like one written by hand.
fn dedupe(doc: &mut OpenApi) {
    let named: Vec<(String, Value)> = doc
        .components
        .as_ref()
        .map(|c| {
            c.schemas
                .iter()
                .filter_map(|(n, s)| Some((n.clone(), serde_json::to_value(s).ok()?)))
                .filter(|(_, s)| {
                    s.get("type") == Some(&json!("object"))
                        || s.get("oneOf").is_some()
                        || s.get("enum").is_some()
                })
                .collect()
        })
        .unwrap_or_default();
    let Ok(mut paths) = serde_json::to_value(&doc.paths) else {
        return;
    };
    fn walk(v: &mut Value, named: &[(String, Value)]) {
        if let Some((name, _)) = named.iter().find(|(_, s)| s == v) {
            *v = json!({ "$ref": format!("#/components/schemas/{name}") });
            return;
        }
        match v {
            Value::Object(m) => m.values_mut().for_each(|x| walk(x, named)),
            Value::Array(a) => a.iter_mut().for_each(|x| walk(x, named)),
            _ => {}
        }
    }
    walk(&mut paths, &named);
    if let Ok(p) = serde_json::from_value(paths) {
        doc.paths = p;
    }
}

/// The path parameters by name (none for a path without any); a malformed one is a 400.
struct PathParams(HashMap<String, String>);

impl axum::extract::FromRequestParts<Baton> for PathParams {
    type Rejection = Error;

    async fn from_request_parts(
        parts: &mut axum::http::request::Parts,
        state: &Baton,
    ) -> Result<Self> {
        use axum::extract::OptionalFromRequestParts;
        let params: Option<Path<HashMap<String, String>>> =
            <Path<_> as OptionalFromRequestParts<Baton>>::from_request_parts(parts, state)
                .await
                .map_err(|e| Error::BadRequest {
                    message: e.body_text(),
                    field: None,
                })?;
        Ok(PathParams(params.map(|p| p.0).unwrap_or_default()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn route(command: &str) -> &'static Route {
        ROUTES.iter().find(|r| r.command == command).expect(command)
    }

    fn path(id: &str) -> HashMap<String, String> {
        HashMap::from([("id".to_owned(), id.to_owned())])
    }

    #[test]
    fn arguments_come_from_the_path_the_query_and_the_body() {
        // The body is one field; the path id is an integer.
        let args = arguments(
            route("agent_update"),
            path("7"),
            None,
            json!({"name": "Shop"}),
        )
        .unwrap();
        assert_eq!(args, json!({"id": 7, "changes": {"name": "Shop"}}));
        // The body's fields are the arguments; the path wins only when they agree.
        let take = route("conversation_take");
        let args = arguments(take, path("3"), None, json!({"from_operator_id": 2})).unwrap();
        assert_eq!(args, json!({"id": 3, "from_operator_id": 2}));
        let e = arguments(take, path("3"), None, json!({"id": 4})).unwrap_err();
        assert_eq!(e.field_errors()[0].field, "id");
        assert!(arguments(take, path("3"), None, json!([1])).is_err());
        let e = arguments(take, path("x"), None, Value::Null).unwrap_err();
        assert!(matches!(e, Error::BadRequest { field: Some(ref f), .. } if f == "id"));
        // Query parameters typed by the schema (an optional id too); `_` (a cache buster) ignored.
        let args = arguments(
            route("inbox_list"),
            HashMap::new(),
            Some("agent_id=2&limit=5&search=a%26b&_=123"),
            Value::Null,
        )
        .unwrap();
        assert_eq!(args, json!({"agent_id": 2, "limit": 5, "search": "a&b"}));
        // An unknown one is named: a misspelt agent id must not act on the default agent.
        let e = arguments(
            route("inbox_list"),
            HashMap::new(),
            Some("agentid=2"),
            Value::Null,
        )
        .unwrap_err();
        assert_eq!(e.field_errors()[0].field, "agentid");
        let e = arguments(
            route("inbox_list"),
            HashMap::new(),
            Some("limit=many"),
            Value::Null,
        )
        .unwrap_err();
        assert!(matches!(e, Error::BadRequest { field: Some(ref f), .. } if f == "limit"));
        let e = arguments(
            route("inbox_list"),
            HashMap::new(),
            Some("search=a&search=b"),
            Value::Null,
        )
        .unwrap_err();
        assert!(matches!(e, Error::BadRequest { .. }));
    }

    #[test]
    fn field_errors_are_relative_to_the_body() {
        let e = Error::invalid("changes.name", "too_long", "at most 100 characters");
        let e = relative_to_body(route("agent_update"), e);
        assert_eq!(e.field_errors()[0].field, "name");
        let e = relative_to_body(route("agent_update"), Error::invalid("changes", "x", "y"));
        assert_eq!(e.field_errors()[0].field, "body");
        // Routes whose body is the arguments keep the names as they are.
        let e = relative_to_body(route("conversation_take"), Error::invalid("id", "x", "y"));
        assert_eq!(e.field_errors()[0].field, "id");
    }

    #[test]
    fn every_route_is_documented_with_its_command_as_operation_id() {
        let doc = crate::http::openapi();
        for r in ROUTES.iter() {
            let item = doc.paths.paths.get(r.path).expect(r.path);
            let op = match r.method {
                "get" => &item.get,
                "post" => &item.post,
                "put" => &item.put,
                "patch" => &item.patch,
                _ => &item.delete,
            };
            let op = op.as_ref().expect(r.command);
            assert_eq!(op.operation_id.as_deref(), Some(r.command));
            assert!(op.responses.responses.contains_key(&r.status.to_string()));
        }
    }
}
