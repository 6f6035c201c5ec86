//! Validation of the handoff configuration against the contract's limits, without a database.

use std::collections::HashMap;

use baton::operators::Role;

use baton::handoff::limits::*;
use baton::handoff::validate::apply_update;
use baton::handoff::{defaults, HandoffConfiguration, HandoffConfigurationUpdate};
use serde_json::{json, Value};

fn try_update(v: Value) -> Result<HandoffConfiguration, Vec<(String, String)>> {
    let update: HandoffConfigurationUpdate = serde_json::from_value(v).expect("shape");
    // 4 is a viewer.
    let operators: HashMap<i64, Role> = [
        (1, Role::Agent),
        (2, Role::Admin),
        (3, Role::Owner),
        (4, Role::Viewer),
    ]
    .into();
    apply_update(&defaults(), update, &operators).map_err(|e| {
        e.field_errors()
            .iter()
            .map(|f| (f.field.clone(), f.code.clone()))
            .collect()
    })
}

fn errors(v: Value) -> Vec<(String, String)> {
    try_update(v).expect_err("should be invalid")
}

fn ok(v: Value) -> HandoffConfiguration {
    try_update(v).unwrap_or_else(|e| panic!("should be valid: {e:?}"))
}

fn e(field: &str, code: &str) -> (String, String) {
    (field.into(), code.into())
}

#[test]
fn message_limits_count_characters() {
    for field in [
        "question_message",
        "confirmation_message",
        "confirmation_outside_working_hours_message",
    ] {
        ok(json!({"settings": {field: "ü".repeat(MESSAGE_MAX_CHARS)}}));
        assert_eq!(
            errors(json!({"settings": {field: "a".repeat(MESSAGE_MAX_CHARS + 1)}})),
            [e(&format!("settings.{field}"), "too_long")]
        );
    }
}

#[test]
fn names_and_descriptions_have_the_seed_limits() {
    for section in ["custom_guidelines", "routing_profiles"] {
        let item = |name: String, description: String| {
            let mut v = json!({"name": name, "description": description, "is_active": true});
            if section == "routing_profiles" {
                v["user_ids"] = json!([]);
            }
            json!({ section: [v] })
        };
        ok(item("n".repeat(100), "d".repeat(2000)));
        assert_eq!(
            errors(item("n".repeat(101), "d".repeat(2001))),
            [
                e(&format!("{section}[0].name"), "too_long"),
                e(&format!("{section}[0].description"), "too_long")
            ]
        );
        assert_eq!(
            errors(item("   ".into(), String::new())),
            [e(&format!("{section}[0].name"), "required")]
        );
    }
}

#[test]
fn keywords_are_trimmed_unique_case_insensitively_and_bounded() {
    let c = ok(json!({"settings": {"keywords": ["  speak to human ", "Żądam człowieka"]}}));
    assert_eq!(c.settings.keywords, ["speak to human", "Żądam człowieka"]);
    assert_eq!(
        errors(json!({"settings": {"keywords": ["ŻĄDAM", "żądam", " ", "k".repeat(101)]}})),
        [
            e("settings.keywords[1]", "duplicate"),
            e("settings.keywords[2]", "required"),
            e("settings.keywords[3]", "too_long")
        ]
    );
    let many: Vec<String> = (0..=KEYWORDS_MAX).map(|i| format!("kw{i}")).collect();
    assert_eq!(
        errors(json!({"settings": {"keywords": many}})),
        [e("settings.keywords", "too_many")]
    );
}

#[test]
fn emails_timezones_and_counters() {
    assert_eq!(
        errors(json!({"settings": {
            "emails": ["ok@example.com", "OK@example.com", "nope", "a@b", "x y@example.com"],
            "timezone": "Europe/london",
            "max_failed_answers": MAX_FAILED_ANSWERS_MAX + 1
        }})),
        [
            e("settings.timezone", "invalid_timezone"),
            e("settings.emails[1]", "duplicate"),
            e("settings.emails[2]", "invalid_email"),
            e("settings.emails[3]", "invalid_email"),
            e("settings.emails[4]", "invalid_email"),
            e("settings.max_failed_answers", "out_of_range"),
        ]
    );
    let c = ok(json!({"settings": {"timezone": "Australia/Lord_Howe", "max_failed_answers": 3}}));
    assert_eq!(c.settings.timezone, "Australia/Lord_Howe");
}

#[test]
fn availability_slots_are_checked() {
    let c = ok(json!({"availability": [
        {"day_span": "friday-monday", "start_time": "22:00", "end_time": "02:00"},
        {"day_span": "sunday", "start_time": "00:00", "end_time": "24:00"}
    ]}));
    assert_eq!(c.availability.len(), 2);
    assert_eq!(
        errors(json!({"availability": [
            {"day_span": "Monday", "start_time": "09:00", "end_time": "17:00"},
            {"day_span": "monday-", "start_time": "24:00", "end_time": "17:00"},
            {"day_span": "tuesday", "start_time": "10:00", "end_time": "10:00"},
            {"day_span": "tuesday", "start_time": "10:0", "end_time": "12:60"},
            {"id": 12345, "day_span": "tuesday", "start_time": "10:00", "end_time": "11:00"}
        ]})),
        [
            e("availability[0].day_span", "invalid_day_span"),
            e("availability[1].day_span", "invalid_day_span"),
            e("availability[1].start_time", "invalid_time"),
            e("availability[2].end_time", "empty_period"),
            e("availability[3].start_time", "invalid_time"),
            e("availability[3].end_time", "invalid_time"),
            e("availability[4].id", "unknown_id"),
        ]
    );
}

#[test]
fn dated_exceptions_are_checked() {
    ok(json!({"availability_exceptions": [
        {"date": "2026-12-25", "name": "Christmas", "closed": true},
        {"date": "2026-12-24", "closed": false, "start_time": "09:00", "end_time": "12:00"},
        {"date": "2026-12-24", "closed": false, "start_time": "13:00", "end_time": "15:00"}
    ]}));
    assert_eq!(
        errors(json!({"availability_exceptions": [
            {"date": "2026-02-30", "closed": true},
            {"date": "2026-12-25", "closed": true, "start_time": "09:00"},
            {"date": "2026-12-26", "closed": false, "start_time": "09:00"},
            {"date": "2026-12-27", "closed": true},
            {"date": "2026-12-27", "closed": true},
            {"date": "2026-12-28", "closed": true},
            {"date": "2026-12-28", "closed": false, "start_time": "09:00", "end_time": "10:00"}
        ]})),
        [
            e("availability_exceptions[0].date", "invalid_date"),
            e("availability_exceptions[1].start_time", "unexpected"),
            e("availability_exceptions[2].end_time", "required"),
            e("availability_exceptions[4].date", "duplicate"),
            e("availability_exceptions[5].closed", "conflict"),
        ]
    );
}

#[test]
fn guidelines_routing_and_information() {
    assert_eq!(
        errors(json!({
            "generic_guidelines": [
                {"name": "user_frustration", "is_active": false},
                {"name": "user_frustration", "is_active": true},
                {"name": "boredom", "is_active": true}
            ],
            "custom_guidelines": [{"name": "x", "description": "", "is_active": true, "examples": ["", "e".repeat(501)]}],
            "routing_profiles": [{"name": "R", "description": "", "is_active": true, "user_ids": [1, 1, 9, 4]}],
            "information_to_gather": [
                {"kind": "custom", "prompt": "?"},
                {"kind": "fax", "label": "Fax", "prompt": "Your fax?"},
                {"kind": "email", "prompt": ""},
                {"kind": "email", "prompt": "Again?"}
            ]
        })),
        [
            e("generic_guidelines[1].name", "duplicate"),
            e("generic_guidelines[2].name", "unknown_guideline"),
            e("custom_guidelines[0].examples[0]", "required"),
            e("custom_guidelines[0].examples[1]", "too_long"),
            e("routing_profiles[0].user_ids[1]", "duplicate"),
            e("routing_profiles[0].user_ids[2]", "unknown_operator"),
            e("routing_profiles[0].user_ids[3]", "viewer_operator"),
            e("information_to_gather[0].label", "required"),
            e("information_to_gather[1].kind", "invalid_kind"),
            e("information_to_gather[2].prompt", "required"),
            e("information_to_gather[3].label", "duplicate"),
        ]
    );
    // Generic guideline descriptions are read-only: echoing them back, even changed, is ignored.
    let c = ok(
        json!({"generic_guidelines": [{"name": "media_message", "description": "whatever", "is_active": false}]}),
    );
    let media = c
        .generic_guidelines
        .iter()
        .find(|g| g.name.as_str() == "media_message")
        .unwrap();
    assert!(!media.is_active);
    assert_ne!(media.description, "whatever");
    // The derived flag follows the profiles, whatever the client sends.
    let c = ok(json!({
        "settings": {"topic_based_routing_active": true},
        "routing_profiles": [{"name": "R", "description": "", "is_active": false, "user_ids": [2]}]
    }));
    assert!(!c.settings.topic_based_routing_active);
}

#[test]
fn omitted_sections_and_settings_are_unchanged() {
    let base = defaults();
    let c = ok(json!({"settings": {"is_active": true}}));
    assert!(c.settings.is_active);
    assert_eq!(c.settings.question_message, base.settings.question_message);
    assert_eq!(c.availability, base.availability);
    let c = ok(json!({}));
    assert_eq!(c, base);
}

#[test]
fn a_viewer_already_in_a_profile_may_stay_but_none_may_join() {
    let operators: HashMap<i64, Role> = [(1, Role::Agent), (4, Role::Viewer)].into();
    let mut current = defaults();
    current.routing_profiles = vec![baton::handoff::RoutingProfile {
        id: 7,
        name: "Billing".into(),
        description: String::new(),
        is_active: true,
        // Operator 4 was an agent when added, and is a viewer now.
        user_ids: vec![1, 4],
        examples: Vec::new(),
    }];
    let put_back: HandoffConfigurationUpdate = serde_json::from_value(json!({
        "routing_profiles": [{"id": 7, "name": "Billing", "description": "", "is_active": true, "user_ids": [1, 4]}]
    }))
    .unwrap();
    let next = apply_update(&current, put_back, &operators).expect("what GET returns PUTs back");
    assert_eq!(next.routing_profiles[0].user_ids, [1, 4]);
    let new_profile: HandoffConfigurationUpdate = serde_json::from_value(json!({
        "routing_profiles": [
            {"id": 7, "name": "Billing", "description": "", "is_active": true, "user_ids": [1, 4]},
            {"name": "Sales", "description": "", "is_active": true, "user_ids": [4]}
        ]
    }))
    .unwrap();
    let err = apply_update(&current, new_profile, &operators).unwrap_err();
    let fields: Vec<(String, String)> = err
        .field_errors()
        .iter()
        .map(|f| (f.field.clone(), f.code.clone()))
        .collect();
    assert_eq!(
        fields,
        [(
            "routing_profiles[1].user_ids[0]".to_owned(),
            "viewer_operator".to_owned()
        )]
    );
}

/// A page size outside 1–200 is refused at `limit` (as the OpenAPI document's bounds say), on
/// every paged list, never clamped in silence.
#[tokio::test]
async fn page_sizes_outside_the_bounds_are_refused_not_clamped() {
    use baton::auth::Actor;
    let db = crate::common::sqlite();
    let b = baton::Baton::open(&db.url).await.unwrap();
    let me = &Actor::Local;
    let field = |e: baton::Error| match e {
        baton::Error::Validation(v) => v.into_iter().map(|f| f.field).collect::<Vec<_>>(),
        e => panic!("{e:?}"),
    };
    for limit in [0, 201, u32::MAX] {
        let leads = b
            .lead_list(
                me,
                serde_json::from_value(json!({ "limit": limit })).unwrap(),
            )
            .await
            .unwrap_err();
        assert_eq!(field(leads), ["limit"], "leads, {limit}");
        let logs = b
            .action_log_list(
                me,
                serde_json::from_value(json!({ "limit": limit })).unwrap(),
            )
            .await
            .unwrap_err();
        assert_eq!(field(logs), ["limit"], "action logs, {limit}");
    }
    for limit in [1, 200] {
        let ok = b
            .lead_list(
                me,
                serde_json::from_value(json!({ "limit": limit })).unwrap(),
            )
            .await;
        assert!(ok.is_ok(), "{limit}");
    }
}
