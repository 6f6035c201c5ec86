use super::*;
use proptest::prelude::*;

fn known() -> VariableSet {
    VariableSet::from_names(["order_id", "visitor_email"])
}

fn values(pairs: &[(&str, &str)]) -> BTreeMap<String, String> {
    pairs
        .iter()
        .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
        .collect()
}

fn render(text: &str, pairs: &[(&str, &str)], context: Context) -> Result<String, RenderError> {
    let set = VariableSet::from_names(pairs.iter().map(|(k, _)| *k));
    Template::parse(text, &set, "f")
        .expect("parses")
        .render(&values(pairs), context)
}

fn only_error(e: Error) -> FieldError {
    let errors = e.field_errors();
    assert_eq!(errors.len(), 1, "{errors:?}");
    errors[0].clone()
}

#[test]
fn unknown_variable_names_the_field_and_the_variable() {
    let e = Template::parse("/orders/{{order_idd}}", &known(), "actions[0].url").unwrap_err();
    assert_eq!(e.code(), "validation_failed");
    let fe = only_error(e);
    assert_eq!(fe.field, "actions[0].url");
    assert_eq!(fe.code, "unknown_variable");
    assert_eq!(
        fe.message,
        "Unknown variable {{order_idd}}: did you mean {{order_id}}? Use one of order_id, visitor_email"
    );

    let fe = only_error(Template::parse("{{zzz}}", &known(), "body").unwrap_err());
    assert_eq!(
        fe.message,
        "Unknown variable {{zzz}}: use one of order_id, visitor_email"
    );
}

#[test]
fn every_unknown_variable_is_reported() {
    let e = Template::parse("{{a}} {{order_id}} {{b}}", &known(), "body").unwrap_err();
    let names: Vec<_> = e.field_errors().iter().map(|f| f.message.clone()).collect();
    assert_eq!(names.len(), 2);
    assert!(names[0].starts_with("Unknown variable {{a}}"), "{names:?}");
    assert!(names[1].starts_with("Unknown variable {{b}}"), "{names:?}");
}

#[test]
fn a_text_without_variables_says_so() {
    let fe = only_error(Template::parse("{{x}}", &VariableSet::new(), "f").unwrap_err());
    assert_eq!(
        fe.message,
        "Unknown variable {{x}}: this text takes no variables"
    );
}

#[test]
fn unterminated_braces_are_an_error_at_the_field() {
    for text in [
        "/orders/{{order_id",
        "{{",
        "a {{ order_id }",
        "{{order_id\n}}",
        "{{ order_id {{visitor_email}}",
    ] {
        let fe = only_error(Template::parse(text, &known(), "url").unwrap_err());
        assert_eq!(fe.field, "url", "{text}");
        assert_eq!(fe.code, "unterminated_variable", "{text}");
        assert!(fe.message.contains("\\{{"), "{}", fe.message);
    }
}

#[test]
fn malformed_names_are_an_error() {
    for (text, code) in [
        ("{{}}", "invalid_variable"),
        ("{{  }}", "invalid_variable"),
        ("{{order id}}", "invalid_variable"),
        ("{{order_id.}}", "invalid_variable"),
        ("{{.order_id}}", "invalid_variable"),
        ("{{1abc}}", "invalid_variable"),
        ("{{a[x]}}", "invalid_variable"),
        ("{{a..b}}", "invalid_variable"),
    ] {
        let fe = only_error(Template::parse(text, &known(), "f").unwrap_err());
        assert_eq!(fe.code, code, "{text}: {}", fe.message);
        assert_eq!(fe.field, "f");
    }
}

#[test]
fn whitespace_inside_braces_is_allowed() {
    for text in ["{{order_id}}", "{{ order_id }}", "{{\torder_id  }}"] {
        let t = Template::parse(text, &known(), "f").unwrap();
        assert_eq!(
            t.render(&values(&[("order_id", "42")]), Context::Text)
                .unwrap(),
            "42",
            "{text}"
        );
    }
}

#[test]
fn literal_braces_escape() {
    let t = Template::parse(r"\{{order_id}} is {{order_id}}", &known(), "f").unwrap();
    assert_eq!(t.variables().len(), 1);
    assert_eq!(
        t.render(&values(&[("order_id", "7")]), Context::Text)
            .unwrap(),
        "{{order_id}} is 7"
    );
    // An escaped `{{` needs no closing braces.
    let t = Template::parse(r"a \{{ b", &known(), "f").unwrap();
    assert_eq!(t.render(&values(&[]), Context::Text).unwrap(), "a {{ b");
    // An even run of backslashes is kept and the variable renders (JSON's escaped backslash).
    let t = Template::parse(r#"{"dir": "C:\\{{order_id}}"}"#, &known(), "f").unwrap();
    let body = t
        .render(&values(&[("order_id", "x")]), Context::JsonBody)
        .unwrap();
    assert_eq!(body, r#"{"dir": "C:\\x"}"#);
    let parsed: serde_json::Value = serde_json::from_str(&body).unwrap();
    assert_eq!(parsed["dir"], r"C:\x");
    // Three: two kept, one escapes.
    let t = Template::parse(r"\\\{{order_id}}", &known(), "f").unwrap();
    assert!(t.variables().is_empty());
    assert_eq!(
        t.render(&values(&[]), Context::Text).unwrap(),
        r"\\{{order_id}}"
    );
    // Backslashes elsewhere, single braces and lone closing braces are text.
    let t = Template::parse(r"a\b {x} }} { {{order_id}}", &known(), "f").unwrap();
    assert_eq!(
        t.render(&values(&[("order_id", "1")]), Context::Text)
            .unwrap(),
        r"a\b {x} }} { 1"
    );
}

#[test]
fn variables_are_listed_once_in_order() {
    let set = VariableSet::action(["order"]);
    let t = Template::parse(
        "{{params.order}}/{{lead.email}}/{{params.order}}/{{metadata.plan}}",
        &set,
        "f",
    )
    .unwrap();
    let names: Vec<_> = t.variables().iter().map(|v| v.name()).collect();
    assert_eq!(names, ["params.order", "lead.email", "metadata.plan"]);
    assert_eq!(
        t.source(),
        "{{params.order}}/{{lead.email}}/{{params.order}}/{{metadata.plan}}"
    );
}

#[test]
fn the_action_set_has_the_spec_s_variables() {
    let set = VariableSet::action(["order_number"]);
    for name in [
        "conversation.id",
        "conversation.user_id",
        "conversation.channel",
        "message.content",
        "message.sentiment",
        "lead.email",
        "lead.name",
        "lead.phone",
        "agent.id",
        "language",
        "country",
        "metadata.plan",
        "metadata_plan",
        "metadata.account-tier",
        "params.order_number",
    ] {
        assert!(set.contains(name), "{name}");
        Template::parse(&format!("{{{{{name}}}}}"), &set, "f").unwrap();
    }
    for name in [
        "params.other",
        "metadata.",
        "metadata_",
        "metadata",
        "response.plan",
        "lead",
    ] {
        assert!(!set.contains(name), "{name}");
    }
    let reply = VariableSet::reply(["order_number"]);
    for name in [
        "response",
        "response.plan",
        "response.items[0].name",
        "response[2]",
    ] {
        assert!(reply.contains(name), "{name}");
    }
    let fe = only_error(Template::parse("{{lead.emial}}", &set, "headers.X").unwrap_err());
    assert!(
        fe.message.starts_with(
            "Unknown variable {{lead.emial}}: did you mean {{lead.email}}? Use one of "
        ),
        "{}",
        fe.message
    );
    assert!(fe.message.contains("metadata.KEY"), "{}", fe.message);
    assert!(fe.message.contains("params.order_number"), "{}", fe.message);
}

#[test]
fn url_path_encodes_hostile_values() {
    let cases = [
        ("../admin", "..%2Fadmin"),
        ("?x=1#", "%3Fx%3D1%23"),
        ("a/b", "a%2Fb"),
        ("100%", "100%25"),
        ("a b", "a%20b"),
        ("é€", "%C3%A9%E2%82%AC"),
        ("A-z_0.9~", "A-z_0.9~"),
        ("%2e%2e", "%252e%252e"),
    ];
    for (value, want) in cases {
        let got = render("/orders/{{id}}/items", &[("id", value)], Context::UrlPath).unwrap();
        assert_eq!(got, format!("/orders/{want}/items"), "{value}");
        // The URL keeps its shape: the value stays one segment of the path.
        let url = url::Url::parse(&format!("https://api.example.com{got}")).unwrap();
        assert_eq!(url.path_segments().unwrap().count(), 3, "{value}");
        assert_eq!(url.query(), None, "{value}");
        assert_eq!(url.fragment(), None, "{value}");
    }
}

#[test]
fn url_path_refuses_empty_and_dot_values() {
    for value in ["", ".", "..", "..."] {
        let e = render("/orders/{{id}}", &[("id", value)], Context::UrlPath).unwrap_err();
        assert!(matches!(e, RenderError::Unsafe { ref variable, .. } if variable == "id"));
        assert!(e.to_string().starts_with("{{id}} is "), "{e}");
    }
}

#[test]
fn url_query_form_encodes_hostile_values() {
    for (value, want) in [
        ("a&admin=1", "a%26admin%3D1"),
        ("x y+z", "x+y%2Bz"),
        ("#frag", "%23frag"),
        ("ünï", "%C3%BCn%C3%AF"),
    ] {
        let got = render("?q={{v}}&n=1", &[("v", value)], Context::UrlQuery).unwrap();
        assert_eq!(got, format!("?q={want}&n=1"));
        let url = url::Url::parse(&format!("https://h.example/{got}")).unwrap();
        let pairs: Vec<(String, String)> = url.query_pairs().into_owned().collect();
        assert_eq!(
            pairs,
            [("q".into(), value.into()), ("n".into(), "1".into())],
            "{value}"
        );
    }
}

#[test]
fn url_context_encodes_by_position() {
    let set = VariableSet::action(["order", "email"]);
    let t = Template::parse_url(
        "https://shop.example.com/orders/{{params.order}}?email={{params.email}}&ref={{params.order}}",
        &set,
        "url",
    )
    .unwrap();
    let got = t
        .render(
            &values(&[("params.order", "1/2?x"), ("params.email", "a+b@c.d&x=1")]),
            Context::Url,
        )
        .unwrap();
    assert_eq!(
        got,
        "https://shop.example.com/orders/1%2F2%3Fx?email=a%2Bb%40c.d%26x%3D1&ref=1%2F2%3Fx"
    );
    let url = url::Url::parse(&got).unwrap();
    assert_eq!(url.host_str(), Some("shop.example.com"));
    assert_eq!(url.path(), "/orders/1%2F2%3Fx");
    let pairs: Vec<(String, String)> = url.query_pairs().into_owned().collect();
    assert_eq!(pairs[0], ("email".into(), "a+b@c.d&x=1".into()));
}

#[test]
fn parse_url_keeps_variables_out_of_the_host() {
    let set = VariableSet::action(["host"]);
    for text in [
        "https://{{params.host}}/x",
        "https://api.example.com{{params.host}}",
        "https://api.example.com:{{params.host}}/",
        "https://user:{{params.host}}@api.example.com/",
        "https://api.{{params.host}}.com/",
    ] {
        let fe = only_error(Template::parse_url(text, &set, "url").unwrap_err());
        assert_eq!(fe.code, "variable_in_host", "{text}");
        assert_eq!(fe.field, "url");
    }
    for text in ["{{params.host}}/x", "ftp://h/{{params.host}}", "/x"] {
        let fe = only_error(Template::parse_url(text, &set, "url").unwrap_err());
        assert_eq!(fe.code, "invalid_url", "{text}");
    }
    for text in [
        "https://api.example.com",
        "http://127.0.0.1:8080/{{params.host}}",
        "https://api.example.com?x={{params.host}}",
    ] {
        Template::parse_url(text, &set, "url").unwrap();
    }
    // Unknown variables are still reported first, at the field.
    let fe = only_error(Template::parse_url("https://h/{{nope}}", &set, "url").unwrap_err());
    assert_eq!(fe.code, "unknown_variable");
}

const HOSTILE: &[&str] = &[
    "plain",
    "quote \" and backslash \\",
    "\\\"}, \"admin\": true, \"x\": \"",
    "line\nbreak\r\ttab",
    "nul \u{0} bell \u{7} esc \u{1b} del \u{7f}",
    "unicode é 日本 🎉 \u{2028} \u{2029}",
    "{{order_id}}",
    "",
];

#[test]
fn json_string_escapes_and_round_trips() {
    for value in HOSTILE {
        let body = render(
            r#"{"note": "order: {{v}}!", "n": 1}"#,
            &[("v", value)],
            Context::Json,
        )
        .unwrap();
        assert!(
            !body.chars().any(|c| c < ' '),
            "raw control character in {body:?}"
        );
        let parsed: serde_json::Value = serde_json::from_str(&body).expect(&body);
        assert_eq!(parsed["note"], format!("order: {value}!"), "{body}");
        assert_eq!(parsed["n"], 1);
        assert_eq!(parsed.as_object().unwrap().len(), 2, "{body}");
    }
}

#[test]
fn json_body_quotes_values_outside_strings() {
    for value in HOSTILE {
        let body = render(
            r#"{"id": {{v}}, "text": "say \"{{v}}\"", "list": [{{v}}]}"#,
            &[("v", value)],
            Context::JsonBody,
        )
        .unwrap();
        let parsed: serde_json::Value = serde_json::from_str(&body).expect(&body);
        assert_eq!(parsed["id"], *value, "{body}");
        assert_eq!(parsed["text"], format!("say \"{value}\""), "{body}");
        assert_eq!(parsed["list"], serde_json::json!([value]), "{body}");
        assert_eq!(parsed.as_object().unwrap().len(), 3, "{body}");
    }
}

/// Values that know some are typed (an action's integer and boolean parameters).
struct Typed(
    BTreeMap<String, String>,
    BTreeMap<String, serde_json::Value>,
);

impl Values for Typed {
    fn get(&self, variable: &Variable) -> Option<Cow<'_, str>> {
        Values::get(&self.0, variable)
    }
    fn json(&self, variable: &Variable) -> Option<serde_json::Value> {
        self.1.get(variable.name()).cloned()
    }
}

#[test]
fn json_body_writes_typed_numbers_and_booleans_as_literals() {
    let known = VariableSet::from_names(["n", "b", "s", "o"]);
    let t = Template::parse(
        r#"{"n": {{n}}, "b": {{b}}, "s": {{s}}, "in": "{{n}}", "o": {{o}}}"#,
        &known,
        "body",
    )
    .unwrap();
    let typed = Typed(
        values(&[("n", "3"), ("b", "true"), ("s", "4"), ("o", "x")]),
        [
            ("n".to_owned(), serde_json::json!(3)),
            ("b".to_owned(), serde_json::json!(true)),
            // Only numbers and booleans are written raw: an object stays a string.
            ("o".to_owned(), serde_json::json!({"admin": true})),
        ]
        .into_iter()
        .collect(),
    );
    let out = t.render(&typed, Context::JsonBody).unwrap();
    assert_eq!(
        serde_json::from_str::<serde_json::Value>(&out).unwrap(),
        serde_json::json!({"n": 3, "b": true, "s": "4", "in": "3", "o": "x"})
    );
}

#[test]
fn url_origin_is_the_literal_scheme_and_host() {
    let known = VariableSet::action(["id"]);
    let origin = |u: &str| {
        Template::parse_url(u, &known, "url")
            .unwrap()
            .url_origin()
            .map(str::to_owned)
    };
    assert_eq!(
        origin("https://api.example.com:8443/o/{{params.id}}").as_deref(),
        Some("https://api.example.com:8443")
    );
    assert_eq!(
        origin("http://h.example?x={{params.id}}").as_deref(),
        Some("http://h.example")
    );
    assert_eq!(
        origin("https://h.example").as_deref(),
        Some("https://h.example")
    );
}

#[test]
fn header_refuses_line_breaks_and_control_characters() {
    for value in [
        "x\r\nSet-Cookie: a=b",
        "x\nInjected: 1",
        "x\rY",
        "nul\u{0}",
        "esc\u{1b}",
    ] {
        let e = render("Bearer {{token}}", &[("token", value)], Context::Header).unwrap_err();
        assert!(
            matches!(e, RenderError::Unsafe { ref variable, .. } if variable == "token"),
            "{value:?}: {e:?}"
        );
        assert!(e.to_string().contains("{{token}}"), "{e}");
        assert!(e.to_string().contains("line break"), "{e}");
    }
    // Literal text in the template is checked too.
    let t = Template::parse("a\r\nb: {{order_id}}", &known(), "h").unwrap();
    assert_eq!(
        t.render(&values(&[("order_id", "1")]), Context::Header),
        Err(RenderError::HeaderText)
    );
    // Tabs, unicode and punctuation are fine as they are.
    assert_eq!(
        render("v={{t}}", &[("t", "a\tb é; q=\"1\"")], Context::Header).unwrap(),
        "v=a\tb é; q=\"1\""
    );
}

#[test]
fn text_is_as_is() {
    for value in HOSTILE {
        assert_eq!(
            render("<{{v}}>", &[("v", value)], Context::Text).unwrap(),
            format!("<{value}>")
        );
    }
}

#[test]
fn a_missing_value_is_an_error_naming_the_variable() {
    let t = Template::parse("{{order_id}} for {{visitor_email}}", &known(), "f").unwrap();
    let vals = values(&[("order_id", "1")]);
    let missing: Vec<_> = t.missing(&vals).iter().map(|v| v.name()).collect();
    assert_eq!(missing, ["visitor_email"]);
    for context in [
        Context::Text,
        Context::UrlPath,
        Context::UrlQuery,
        Context::Url,
        Context::Json,
        Context::JsonBody,
        Context::Header,
    ] {
        let e = t.render(&vals, context).unwrap_err();
        assert_eq!(
            e,
            RenderError::Missing {
                variable: "visitor_email".into()
            }
        );
        assert_eq!(e.to_string(), "{{visitor_email}} has no value");
    }
    let core: Error = RenderError::Missing {
        variable: "x".into(),
    }
    .into();
    assert_eq!(core.code(), "bad_request");
}

#[test]
fn json_values_are_walked_by_keys_and_indices() {
    let set = VariableSet::reply([]);
    let t = Template::parse(
        "{{response.name}} is on {{response.plan.name}} ({{response.used}} used, active: {{response.active}}); first item {{response.items[0].name}}, tags {{response.tags}}",
        &set,
        "reply",
    )
    .unwrap();
    let doc = serde_json::json!({"response": {
        "name": "Jane Smith",
        "plan": {"name": "Pro"},
        "used": 3250,
        "active": true,
        "items": [{"name": "Lamp"}],
        "tags": ["a", "b"],
    }});
    assert_eq!(
        t.render(&doc, Context::Text).unwrap(),
        "Jane Smith is on Pro (3250 used, active: true); first item Lamp, tags [\"a\",\"b\"]"
    );
    let t = Template::parse("{{response.items[3].name}} {{response.gone}}", &set, "r").unwrap();
    let doc = serde_json::json!({"response": {"items": [], "gone": null}});
    let missing: Vec<_> = t.missing(&doc).iter().map(|v| v.name()).collect();
    assert_eq!(missing, ["response.items[3].name", "response.gone"]);
    let t = Template::parse("{{response[1]}}", &set, "r").unwrap();
    assert_eq!(
        t.render(&serde_json::json!({"response": ["x", "y"]}), Context::Text)
            .unwrap(),
        "y"
    );
}

#[test]
fn single_brace_syntax_for_message_texts() {
    let set = VariableSet::from_names([USER_NAME]);
    let parse = |text: &str| Template::parse_with(text, Syntax::Single, &set, "success_message");
    let vals = values(&[("user_name", "Anna")]);

    let t = parse("How can we help you, {user_name}?").unwrap();
    assert_eq!(
        t.render(&vals, Context::Text).unwrap(),
        "How can we help you, Anna?"
    );
    for text in ["Hi { user_name }", "Hi {{user_name}}", "Hi {{ user_name }}"] {
        assert_eq!(
            parse(text).unwrap().render(&vals, Context::Text).unwrap(),
            "Hi Anna",
            "{text}"
        );
    }
    // Braces that do not start a name are prose.
    let t = parse("Sad :-{ or { } or {1} or {} — {user_name}").unwrap();
    assert_eq!(
        t.render(&vals, Context::Text).unwrap(),
        "Sad :-{ or { } or {1} or {} — Anna"
    );
    // Escapes.
    let t = parse(r"Write \{user_name} to greet {user_name}").unwrap();
    assert_eq!(
        t.render(&vals, Context::Text).unwrap(),
        "Write {user_name} to greet Anna"
    );

    let fe = only_error(parse("Hi {user_nam}").unwrap_err());
    assert_eq!(fe.field, "success_message");
    assert_eq!(
        fe.message,
        "Unknown variable {user_nam}: did you mean {user_name}? Use one of user_name"
    );
    let fe = only_error(parse("Hi {user_name").unwrap_err());
    assert_eq!(fe.code, "unterminated_variable");
    assert!(fe.message.contains(r"\{"), "{}", fe.message);
    let fe = only_error(parse("Hi {user name}").unwrap_err());
    assert_eq!(fe.code, "invalid_variable");
}

#[test]
fn double_syntax_leaves_single_braces_alone() {
    let t = Template::parse("{user_name} {order_id}", &known(), "f").unwrap();
    assert!(t.variables().is_empty());
    assert_eq!(
        t.render(&values(&[]), Context::Text).unwrap(),
        "{user_name} {order_id}"
    );
}

proptest! {
    /// Whatever the value, a JSON body stays valid JSON and the value comes back unchanged.
    #[test]
    fn json_body_round_trips_any_value(value in any::<String>()) {
        let body = render(r#"{"a": "x{{v}}y", "b": {{v}}}"#, &[("v", &value)], Context::JsonBody).unwrap();
        let parsed: serde_json::Value = serde_json::from_str(&body).unwrap();
        prop_assert_eq!(parsed["a"].as_str().unwrap(), format!("x{value}y"));
        prop_assert_eq!(parsed["b"].as_str().unwrap(), value.as_str());
        prop_assert_eq!(parsed.as_object().unwrap().len(), 2);
    }

    /// Whatever the value, a path segment stays one segment and a query value one value.
    #[test]
    fn url_keeps_its_shape_for_any_value(value in any::<String>().prop_filter("not dots", |v| !v.is_empty() && !v.bytes().all(|b| b == b'.'))) {
        let got = render("https://h.example/a/{{v}}/b?q={{v}}&n=1", &[("v", &value)], Context::Url).unwrap();
        let url = url::Url::parse(&got).unwrap();
        prop_assert_eq!(url.host_str(), Some("h.example"));
        prop_assert_eq!(url.path_segments().unwrap().count(), 3);
        prop_assert_eq!(url.fragment(), None);
        let pairs: Vec<(String, String)> = url.query_pairs().into_owned().collect();
        prop_assert_eq!(pairs, vec![("q".to_owned(), value.clone()), ("n".to_owned(), "1".to_owned())]);
    }

    /// A header value renders exactly when the value has no control character but tab.
    #[test]
    fn header_renders_or_refuses(value in "[a-z\r\n\t\u{0}é]{0,8}") {
        let got = render("X {{v}}", &[("v", &value)], Context::Header);
        if value.chars().any(|c| c.is_control() && c != '\t') {
            prop_assert!(got.is_err());
        } else {
            prop_assert_eq!(got.unwrap(), format!("X {value}"));
        }
    }

    /// Parsing never panics, and text without braces or backslashes renders as itself.
    #[test]
    fn parse_never_panics(text in any::<String>()) {
        let _ = Template::parse(&text, &known(), "f");
        let _ = Template::parse_with(&text, Syntax::Single, &known(), "f");
        if !text.contains(['{', '\\']) {
            let t = Template::parse(&text, &known(), "f").unwrap();
            prop_assert_eq!(t.render(&values(&[]), Context::Text).unwrap(), text);
        }
    }
}
