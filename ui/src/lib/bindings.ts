// Generated from the Rust types by `baton::bindings`; do not edit.
// Regenerate: BATON_UPDATE_BINDINGS=1 cargo test --test suite bindings::

export type FieldError = { field: string, code: string, message: string, };

export type Agent = { id: number, name: string, 
/**
 * What the agent is for and how it should behave (its instructions).
 */
description: string, 
/**
 * Main language, a BCP 47 tag such as `en` or `pt-BR`.
 */
language: string, 
/**
 * The agent that unbound admin tokens act on when no `agent_id` is given.
 */
is_default: boolean, created_at: string, updated_at: string, };

export type AgentCreate = { name: string, description: string, language?: string, };

export type AgentUpdate = { name?: string, description?: string, language?: string, 
/**
 * Make this agent the default one (setting false is not allowed: pick another default instead).
 */
is_default?: boolean, };

export type Role = "owner" | "admin" | "agent" | "viewer";

export type Operator = { id: number, name: string, email: string, role: Role, is_active: boolean, 
/**
 * Whether the operator can sign in with a password.
 */
has_password: boolean, created_at: string, updated_at: string, };

export type OperatorCreate = { name: string, email: string, role: Role, 
/**
 * Optional; without one the operator cannot sign in to the server yet.
 */
password?: string, };

export type OperatorUpdate = { name?: string, email?: string, role?: Role, is_active?: boolean, password?: string, };

export type ApiToken = { id: number, name: string, 
/**
 * The first characters of the token, to recognise it; the rest is never stored.
 */
prefix: string, 
/**
 * The agent the token is bound to; null for an admin token.
 */
agent_id: number | null, created_at: string, last_used_at: string | null, revoked_at: string | null, };

export type TokenCreate = { name: string, agent_id?: number, };

export type CreatedToken = { token: string, info: ApiToken, };

export type HandoffConfiguration = { settings: Settings, availability: Array<AvailabilitySlot>, availability_exceptions: Array<AvailabilityException>, generic_guidelines: Array<GenericGuideline>, custom_guidelines: Array<CustomGuideline>, routing_profiles: Array<RoutingProfile>, information_to_gather: Array<InformationField>, };

export type Settings = { 
/**
 * Whether human handoff is enabled.
 */
is_active: boolean, 
/**
 * Phrases that always force a handoff, no question asked.
 */
keywords: Array<string>, 
/**
 * Write an AI summary for the operator when a handoff happens.
 */
ai_summary_active: boolean, 
/**
 * Read-only: true when at least one routing profile is active.
 */
topic_based_routing_active: boolean, 
/**
 * Asked before a guideline-triggered handoff (max 500 characters).
 */
question_message: string, 
/**
 * Shown after the visitor confirms (max 500 characters).
 */
confirmation_message: string, 
/**
 * Shown when a handoff is requested outside working hours (max 500 characters).
 */
confirmation_outside_working_hours_message: string, 
/**
 * Restrict handoff to the working hours in `availability`.
 */
working_hours_active: boolean, 
/**
 * IANA time zone of the working hours, e.g. `Europe/London`.
 */
timezone: string, send_email_notification: boolean, 
/**
 * Addresses notified of handoffs that match no routing profile (max 50).
 */
emails: Array<string>, 
/**
 * Let the decision engine set the conversation priority on handoff.
 */
auto_priority: boolean, 
/**
 * Hand over automatically after this many unanswered questions in a row; 0 turns it off.
 */
max_failed_answers: number, };

export type AvailabilitySlot = { id: number, 
/**
 * A day (`monday`) or a range of days (`monday-friday`, wrapping ranges like `friday-monday` allowed).
 */
day_span: string, 
/**
 * `HH:MM`, local time in `settings.timezone`.
 */
start_time: string, 
/**
 * `HH:MM`; `24:00` means midnight. An end before the start is an overnight shift belonging to the start day.
 */
end_time: string, };

export type AvailabilityException = { id: number, 
/**
 * `YYYY-MM-DD`, local date in `settings.timezone`.
 */
date: string, 
/**
 * Label shown to operators, e.g. "Christmas Day" (max 100 characters).
 */
name: string, 
/**
 * Closed all day. When false, `start_time` and `end_time` give the special hours;
 * several entries on one date give several periods.
 */
closed: boolean, start_time: string | null, end_time: string | null, };

export type GenericGuidelineName = "user_frustration" | "customer_support_suggestion" | "lack_of_knowledge" | "irrelevant_advice" | "media_message" | "human_request";

export type GenericGuideline = { name: GenericGuidelineName, 
/**
 * Read-only: fixed text describing when the guideline triggers.
 */
description: string, is_active: boolean, };

export type CustomGuideline = { id: number, 
/**
 * Max 100 characters.
 */
name: string, 
/**
 * When this guideline should trigger a handoff (max 2000 characters).
 */
description: string, is_active: boolean, 
/**
 * Example visitor phrases; the built-in engine matches on them (max 50, each max 500 characters).
 */
examples: Array<string>, };

export type RoutingProfile = { id: number, 
/**
 * Topic name, max 100 characters.
 */
name: string, 
/**
 * When this profile should match (max 2000 characters).
 */
description: string, is_active: boolean, 
/**
 * Operators who handle this topic.
 */
user_ids: number[], 
/**
 * What visitors of this topic write, in any language (max 50, each max 500 characters):
 * a message like one of them is routed here. An addition to the seed's contract, as
 * custom guidelines have.
 */
examples: Array<string>, };

export type InformationKind = "name" | "email" | "phone" | "order_number" | "custom";

export type InformationField = { id: number, kind: InformationKind, 
/**
 * Name of the field as operators see it (required for `custom`, max 100 characters).
 */
label: string, 
/**
 * What the agent asks the visitor (max 500 characters).
 */
prompt: string, required: boolean, };

export type HandoffConfigurationUpdate = { settings?: SettingsUpdate, availability?: Array<AvailabilitySlotInput>, availability_exceptions?: Array<AvailabilityExceptionInput>, generic_guidelines?: Array<GenericGuidelineInput>, custom_guidelines?: Array<CustomGuidelineInput>, routing_profiles?: Array<RoutingProfileInput>, information_to_gather?: Array<InformationFieldInput>, };

export type SettingsUpdate = { is_active?: boolean, keywords?: Array<string>, ai_summary_active?: boolean, 
/**
 * Read-only (derived from the routing profiles): accepted and ignored.
 */
topic_based_routing_active?: boolean, question_message?: string, confirmation_message?: string, confirmation_outside_working_hours_message?: string, working_hours_active?: boolean, timezone?: string, send_email_notification?: boolean, emails?: Array<string>, auto_priority?: boolean, max_failed_answers?: number, };

export type AvailabilitySlotInput = { id?: number, day_span: string, start_time: string, end_time: string, };

export type AvailabilityExceptionInput = { id?: number, date: string, name: string, closed: boolean, start_time?: string | null, end_time?: string | null, };

export type GenericGuidelineInput = { 
/**
 * One of the generic guideline names.
 */
name: string, 
/**
 * Read-only: accepted and ignored.
 */
description?: string, is_active: boolean, };

export type CustomGuidelineInput = { id?: number, name: string, description: string, is_active: boolean, examples: Array<string>, };

export type RoutingProfileInput = { id?: number, name: string, description: string, is_active: boolean, user_ids: number[], 
/**
 * Example phrases; none when left out.
 */
examples: Array<string>, };

export type InformationFieldInput = { id?: number, 
/**
 * `name`, `email`, `phone`, `order_number` or `custom`.
 */
kind: string, label: string, prompt: string, required: boolean, };

export type HoursStatus = { 
/**
 * Whether handoff is limited to working hours at all. When false, people count as available.
 */
working_hours_active: boolean, 
/**
 * The business time zone.
 */
timezone: string, 
/**
 * The instant evaluated.
 */
at: string, 
/**
 * Available now for a handoff.
 */
open: boolean, 
/**
 * When people are next available (null when open without limits, or no hours are set).
 */
next_opening: string | null, 
/**
 * When the current (or next) working period ends.
 */
next_closing: string | null, 
/**
 * `next_opening` as local time in the business time zone, RFC 3339 with offset.
 */
next_opening_local: string | null, 
/**
 * `next_opening` in the visitor's time zone, when one was given.
 */
next_opening_visitor: string | null, };

export type HoursDraft = { working_hours_active: boolean, 
/**
 * IANA time zone of the hours.
 */
timezone: string, availability: Array<AvailabilitySlotInput>, availability_exceptions: Array<AvailabilityExceptionInput>, };

export type NoArgs = Record<string, never>;

export type IdArgs = { id: number, };

export type AgentScope = { agent_id?: number, };

export type AgentUpdateArgs = { id: number, changes: AgentUpdate, };

export type OperatorUpdateArgs = { id: number, changes: OperatorUpdate, };

export type HandoffConfigUpdateArgs = { agent_id?: number, configuration: HandoffConfigurationUpdate, };

export type HoursCheckArgs = { agent_id?: number, 
/**
 * Instant to evaluate (default: now).
 */
at?: string, 
/**
 * IANA zone of the visitor, to express the next opening in their time.
 */
visitor_timezone?: string, };

export type HoursPreviewArgs = { draft: HoursDraft, 
/**
 * Instant to evaluate (default: now).
 */
at?: string, 
/**
 * IANA zone of the visitor, to express the next opening in their time.
 */
visitor_timezone?: string, };

export type KnowledgeUpdateArgs = { id: number, entry: KnowledgeInput, };

export type SmtpTestArgs = { to: string, };

export type VisitorSendArgs = { conversation_id: number, visitor_token: string, message: VisitorMessageInput, };

export type Author = "visitor" | "ai" | "operator" | "system";

export type Priority = "low" | "medium" | "high" | "urgent";

export type GuidelineKey = { "kind": "generic", "value": GenericGuidelineName } | { "kind": "custom", "value": number };

export type EngineKind = "builtin" | "openai";

export type EngineSettings = { kind: EngineKind, 
/**
 * e.g. `https://api.openai.com/v1` or `http://127.0.0.1:11434/v1` (Ollama).
 */
base_url: string | null, model: string | null, 
/**
 * Whether an API key is stored (the key itself is never returned).
 */
has_api_key: boolean, timeout_ms: number, };

export type EngineHealthState = "builtin" | "healthy" | "failing" | "open";

export type EngineHealth = { state: EngineHealthState, 
/**
 * Since when the calls fail (the first of the current run of failures).
 */
failing_since: string | null, 
/**
 * The last failure in words (never a key or a secret: engine errors are scrubbed).
 */
last_error: string | null, consecutive_failures: number, 
/**
 * While open: when the next probe call may go.
 */
retry_at: string | null, 
/**
 * This process's view (each `baton serve` process keeps its own breaker).
 */
checked_at: string, };

export type EngineSettingsInput = { agent_id?: number, kind: EngineKind, base_url?: string, model?: string, 
/**
 * Omit to keep the stored key; an empty string removes it.
 */
api_key?: string, timeout_ms?: number, };

export type KnowledgeEntry = { id: number, agent_id: number, 
/**
 * The question (or a document title).
 */
title: string, 
/**
 * The answer (or the document text).
 */
body: string, created_at: string, updated_at: string, };

export type KnowledgeInput = { agent_id?: number, title: string, body: string, };

export type SmtpSecurity = "none" | "starttls" | "tls";

export type SmtpSettings = { 
/**
 * Host name or IP address of the SMTP server, without scheme or port.
 */
host: string, port: number, security: SmtpSecurity, 
/**
 * Set together with `password`, or neither. An empty string counts as not set.
 */
username: string | null, 
/**
 * Set together with `username`, or neither. Returned as `"***"` when set.
 */
password: string | null, 
/**
 * Sender mailbox: `Baton <handoff@example.com>` or `handoff@example.com`.
 */
from: string, };

export type Notification = { id: number, conversation_id: number | null, recipients: string, subject: string, 
/**
 * `pending`, `sent` or `failed`.
 */
status: string, attempts: number, last_error: string | null, next_attempt_at: string, created_at: string, sent_at: string | null, };

export type LoginInput = { email: string, password: string, };

export type Session = { operator: Operator, 
/**
 * The session token (also set as the `baton_session` cookie).
 */
token: string, };

export type Channel = "widget" | "api" | "playground";

export type Status = "ai" | "awaiting_confirmation" | "gathering_info" | "needs_agent" | "assigned" | "resolved";

export type Attachment = { name: string, mime_type: string, size: number, };

export type Message = { id: number, conversation_id: number, author: Author, operator_id: number | null, 
/**
 * The operator's name, for messages read back (a visitor reloading the page sees who
 * answered); null for others and in the answer of a write.
 */
operator_name: string | null, text: string, attachments: Array<Attachment>, 
/**
 * An internal note: visible to operators only.
 */
internal: boolean, created_at: string, };

export type Conversation = { id: number, agent_id: number, channel: Channel, visitor_id: string, visitor_timezone: string | null, metadata: { [key in string]?: string }, language: string | null, status: Status, 
/**
 * The operator it is assigned to; null while with the AI or unassigned.
 */
assignee_id: number | null, priority: Priority | null, routing_profile_id: number | null, handoff_reason: string | null, ai_summary: string | null, 
/**
 * Information gathered before the handoff (label → value).
 */
gathered: { [key in string]?: string }, 
/**
 * Marked for follow-up (e.g. a handoff asked for outside working hours).
 */
follow_up: boolean, failed_answers: number, created_at: string, updated_at: string, last_message_at: string, handed_off_at: string | null, resolved_at: string | null, };

export type DecisionRecord = { id: number, conversation_id: number, message_id: number | null, step: string, outcome: string, reason: string, 
/**
 * `builtin`, `openai:<model>`, or `builtin (fallback: …)`.
 */
engine: string, latency_us: number, created_at: string, };

export type VisitorEvent = { "type": "reply", text: string, } | { "type": "handoff_question", text: string, } | { "type": "confirmation", text: string, } | { "type": "out_of_hours", text: string, next_opening: string | null, 
/**
 * The next opening in the visitor's time zone (or the business one), RFC 3339.
 */
next_opening_local: string | null, } | { "type": "information_request", field: string, prompt: string, } | { "type": "operator_reply", text: string, operator_name: string, } | { "type": "contact_form", form: ContactFormView, } | { "type": "buttons", group_id: string, buttons: Array<ButtonView>, } | { "type": "handover_channels", text: string, channels: Array<ChannelOption>, } | { "type": "action_form", action_id: number, form: FormView, } | { "type": "action_button", action_id: number, label: string, url: string | null, };

export type LiveEvent = { conversation_id: number, agent_id: number, kind: LiveKind, };

export type LiveKind = { "type": "message", message: Message, } | { "type": "visitor", event: VisitorEvent, } | { "type": "updated", status: Status, assignee_id: number | null, priority: Priority | null, } | { "type": "handoff", reason: string, priority: Priority | null, assignee_id: number | null, routing_profile_id: number | null, } | { "type": "missed", };

export type ConversationStart = { 
/**
 * The agent to talk to (default: the default agent).
 */
agent_id?: number, channel?: Channel, 
/**
 * The website's own visitor id, if it has one.
 */
visitor_id?: string, 
/**
 * The visitor's IANA time zone, to tell them when people are back in their own time.
 */
timezone?: string, language?: string, metadata: { [key in string]?: string }, };

export type VisitorSession = { conversation: Conversation, visitor_token: string, 
/**
 * The contact form to show as the chat opens (set to appear at start), if any.
 */
contact_form: ContactFormView | null, };

export type VisitorMessageInput = { text: string, attachments: Array<Attachment>, 
/**
 * Playground only: evaluate working hours as if it were this instant.
 */
simulated_at?: string, };

export type VisitorReply = { message: Message, events: Array<VisitorEvent>, status: Status, };

export type InboxView = "needs_agent" | "mine" | "unassigned" | "all_open" | "follow_up" | "resolved" | "all";

export type InboxQuery = { view?: InboxView, agent_id?: number, priority?: Priority, routing_profile_id?: number, 
/**
 * Conversations with activity at or after this instant.
 */
from?: string, 
/**
 * … and before this one.
 */
to?: string, 
/**
 * Full-text search in the messages.
 */
search?: string, limit?: number, 
/**
 * From a previous page's `next_cursor`.
 */
cursor?: string, 
/**
 * For callers that are not an operator themselves (API tokens, the desktop app): whose
 * "mine" view.
 */
as_operator_id?: number, };

export type InboxCounts = { needs_agent: number, mine: number, unassigned: number, all_open: number, follow_up: number, resolved: number, };

export type InboxItem = { conversation: Conversation, 
/**
 * The last message's text (not internal notes).
 */
last_message: string | null, 
/**
 * What the list shows: the visitor's own last words (not the agent's canned answers),
 * else the last message.
 */
preview: string | null, 
/**
 * With a search: the part of the newest matching message around the first match, cut at
 * word boundaries with an ellipsis.
 */
snippet: string | null, };

export type InboxPage = { counts: InboxCounts, items: Array<InboxItem>, next_cursor: string | null, };

export type ConversationDetail = { conversation: Conversation, 
/**
 * Every message, internal notes included.
 */
messages: Array<Message>, decisions: Array<DecisionRecord>, 
/**
 * Who did what, oldest first: handoffs, routing, assignments, take-overs, hand-backs
 * (with the instruction), resolves and reopens.
 */
timeline: Array<TimelineEvent>, };

export type ConversationAction = { id: number, 
/**
 * With an API token, the operator the timeline names as having done it (optional). A
 * signed-in operator acts as themselves and leaves it out.
 */
as_operator_id?: number, };

export type ConversationAssign = { id: number, 
/**
 * The operator to assign to; null unassigns (back to the queue).
 */
operator_id: number | null, };

export type ConversationText = { id: number, text: string, 
/**
 * With an API token, the operator acting: required, and their role applies. A signed-in
 * operator acts as themselves and leaves it out.
 */
as_operator_id?: number, };

export type ConversationHandBack = { id: number, 
/**
 * A private instruction the AI follows in this conversation only.
 */
instruction?: string, };

export type ConversationManualHandoff = { id: number, reason?: string, 
/**
 * Take it myself at once.
 */
take: boolean, 
/**
 * With an API token and `take`, the operator who takes it: required, and their role
 * applies. A signed-in operator acts as themselves and leaves it out.
 */
as_operator_id?: number, };

export type ConversationTake = { id: number, 
/**
 * With an API token, the operator acting: required, and their role applies. A signed-in
 * operator acts as themselves and leaves it out.
 */
as_operator_id?: number, 
/**
 * The colleague it is taken from, as the caller saw it. Taking a conversation someone
 * else holds needs it (so nobody takes one from a colleague by accident); if it is held
 * by anyone else by then (a simultaneous take), the take is a conflict.
 */
from_operator_id?: number, };

export type ConversationReply = { id: number, text: string, 
/**
 * With an API token, the operator acting: required, and their role applies. A signed-in
 * operator acts as themselves and leaves it out.
 */
as_operator_id?: number, 
/**
 * Replying to a conversation a colleague holds takes it from them: name them here, as
 * for [`ConversationTake`].
 */
from_operator_id?: number, };

export type SetupChecklist = { handoff_on: boolean, working_hours_on: boolean, 
/**
 * More than one active operator.
 */
team_invited: boolean, 
/**
 * A conversation was had in the playground.
 */
playground_tried: boolean, 
/**
 * A visitor wrote through the website widget.
 */
widget_installed: boolean, };

export type TimelineKind = "handed_off" | "routed" | "assigned" | "taken_over" | "unassigned" | "handed_back" | "resolved" | "reopened" | "follow_up" | "contact_left" | "contact_form" | "detail_gathered" | "ended_by_visitor" | "button_clicked" | "channel_chosen" | "form_submitted";

export type TimelineEvent = { id: number, kind: TimelineKind, 
/**
 * Who did it; null for the AI agent or the system (an automatic assignment, a token).
 */
actor_id: number | null, actor_name: string | null, 
/**
 * Whom it was assigned to or who took it.
 */
operator_id: number | null, operator_name: string | null, 
/**
 * Who held it before (a take-over or a reassignment).
 */
from_operator_id: number | null, from_operator_name: string | null, routing_profile_id: number | null, routing_profile_name: string | null, 
/**
 * The handoff reason, the hand-back instruction, or the contact left.
 */
text: string | null, created_at: string, };

export type PublicUrl = { 
/**
 * What an admin saved; null when not set.
 */
saved: string | null, 
/**
 * What links use now: the saved address, else the one this process serves on.
 */
effective: string, };

export type PublicUrlInput = { 
/**
 * `https://baton.example.com` (a path is allowed, e.g. behind a proxy); null or empty
 * clears it.
 */
url?: string | null, };

export type ActionMethod = "GET" | "POST" | "PUT" | "PATCH" | "DELETE";

export type ActionParamLocation = "path" | "query" | "header" | "body";

export type ActionParamType = "string" | "integer" | "number" | "boolean" | "email" | "enum";

export type ActionParameter = { 
/**
 * Letters, digits, `_` and `-`, starting with a letter; used as `{{params.NAME}}`.
 */
name: string, location: ActionParamLocation, type: ActionParamType, 
/**
 * The allowed values of an `enum` parameter (none for other types).
 */
values: Array<string>, 
/**
 * How to compose the value (what the model and the owner read).
 */
description: string, required: boolean, example: string | null, };

export type ActionHeader = { name: string, 
/**
 * A template (`{{conversation.id}}`); CR/LF in a value is refused when sending.
 */
value: string, };

export type ActionAuthKind = "none" | "bearer" | "basic" | "api_key";

export type ActionApiKeyLocation = "header" | "query";

export type ActionAuth = { kind: ActionAuthKind, 
/**
 * The basic-auth user name.
 */
username: string | null, key_location: ActionApiKeyLocation | null, 
/**
 * The header or query parameter carrying the API key.
 */
key_name: string | null, 
/**
 * Whether a secret (token, password, key) is stored.
 */
has_secret: boolean, };

export type ActionAuthInput = { kind: ActionAuthKind, username: string | null, key_location: ActionApiKeyLocation | null, key_name: string | null, 
/**
 * Write-only: the bearer token, basic password or API key.
 */
secret: string | null, };

export type ActionOnFailure = "say" | "handoff";

export type ActionKind = "http" | "form" | "button";

export type FormFieldType = "text" | "email" | "phone" | "number" | "select" | "long_text" | "consent";

export type FormField = { 
/**
 * Letters, digits, `_` and `-`, starting with a letter: the key of its value, and the
 * parameter of the HTTP action it feeds (`order_id`).
 */
name: string, 
/**
 * What the visitor reads (≤ 100 characters); for a consent box, the text beside it.
 */
label: string, type: FormFieldType, required: boolean, placeholder: string, 
/**
 * The choices of a `select` field (none for other types).
 */
options: Array<string>, };

export type ActionForm = { 
/**
 * What the agent says with the form (≤ 500 characters).
 */
intro: string, 
/**
 * The form's heading (≤ 100 characters).
 */
title: string, 
/**
 * 1–10 fields.
 */
fields: Array<FormField>, submit_label: string, create_lead: boolean, 
/**
 * The name of an HTTP action of the same agent to run with the values.
 */
run_action: string | null, 
/**
 * Said after a submission when no action runs (≤ 500 characters).
 */
success_message: string, };

export type ButtonMoment = "matched" | "after_first_answer";

export type ActionButton = { 
/**
 * What the agent says with the button when it matched (≤ 500 characters; empty: the
 * button comes under the agent's answer alone).
 */
message: string, 
/**
 * ≤ 40 characters.
 */
label: string, moment: ButtonMoment, 
/**
 * An `https://` or `http://` link opened in a new tab…
 */
url: string | null, 
/**
 * … or the name of an HTTP action of the same agent, run on a click.
 */
run_action: string | null, };

export type FormView = { title: string, fields: Array<FormField>, submit_label: string, };

export type FormSubmit = { values: Record<string, unknown>, };

export type ActionAnswered = { message: Message | null, };

export type Action = { id: number, agent_id: number, type: ActionKind, 
/**
 * A slug unique per agent (`get_order_status`), usable as a model's tool name.
 */
name: string, 
/**
 * When to use it and what it returns (for the model and the built-in matcher).
 */
description: string, 
/**
 * When the agent must not use it even if it seems relevant.
 */
when_not_to_use: string, 
/**
 * Visitor phrases that call for it (the built-in engine matches against them).
 */
examples: Array<string>, active: boolean, method: ActionMethod, 
/**
 * A template; the scheme and host are written out.
 */
url: string, headers: Array<ActionHeader>, 
/**
 * A JSON body template.
 */
body: string | null, parameters: Array<ActionParameter>, auth: ActionAuth, timeout_ms: number, 
/**
 * Largest response accepted, in bytes.
 */
max_response_bytes: number, 
/**
 * What the visitor is told on success, over the response (`{{response.plan}}`).
 */
reply_template: string | null, 
/**
 * What the visitor is told when the call fails.
 */
failure_message: string, on_failure: ActionOnFailure, 
/**
 * Private or loopback hosts and networks this action may call (`192.168.1.20`,
 * `10.0.0.0/8`, `erp.lan`). Shown with a warning.
 */
allow: Array<string>, 
/**
 * The conversation variables its templates use (for the test panel's sample values).
 */
variables: Array<string>, 
/**
 * A form action's form.
 */
form: ActionForm | null, 
/**
 * A button action's button.
 */
button: ActionButton | null, created_at: string, updated_at: string, };

export type ActionInput = { agent_id: number | null, 
/**
 * Default `http`.
 */
type?: ActionKind, name: string, description: string, when_not_to_use: string, examples: Array<string>, active: boolean, 
/**
 * HTTP actions: required (and `url`).
 */
method?: ActionMethod, url?: string, headers: Array<ActionHeader>, body: string | null, parameters: Array<ActionParameter>, auth: ActionAuthInput | null, 
/**
 * Default 10 000, at most 30 000.
 */
timeout_ms: number | null, 
/**
 * Default 1 MiB.
 */
max_response_bytes: number | null, reply_template: string | null, failure_message: string | null, on_failure: ActionOnFailure, allow: Array<string>, 
/**
 * Form actions: the form.
 */
form?: ActionForm, 
/**
 * Button actions: the button.
 */
button?: ActionButton, };

export type ActionOutcome = "success" | "http_error" | "timeout" | "blocked" | "invalid_response" | "skipped";

export type ActionRequestShown = { method: ActionMethod, url: string, headers: Array<ActionHeader>, body: string | null, };

export type ActionResponseShown = { status: number, headers: Array<ActionHeader>, 
/**
 * Pretty-printed when it is JSON; at most [`validate::LOG_BODY_MAX_BYTES`] here.
 */
body: string, 
/**
 * The body was cut (longer than shown, or over the action's response cap).
 */
truncated: boolean, };

export type ActionTestArgs = { id: number, 
/**
 * Parameter values by name (strings, numbers or booleans).
 */
params: Record<string, unknown>, 
/**
 * Conversation variables by name: `conversation.id`, `lead.email`, `metadata.plan`, …
 */
variables: { [key in string]?: string }, };

export type ActionTestResult = { outcome: ActionOutcome, request: ActionRequestShown, 
/**
 * None when nothing came back (blocked, timeout, unreachable).
 */
response: ActionResponseShown | null, duration_ms: number, 
/**
 * What went wrong, in words (no secrets).
 */
error: string | null, 
/**
 * The reply built from the response, or the failure message.
 */
visitor_reply: string | null, 
/**
 * On failure: whether the conversation would be handed to a person.
 */
handoff: boolean, 
/**
 * The log entry this run wrote.
 */
log_id: number, };

export type ActionLogEntry = { id: number, created_at: string, agent_id: number, 
/**
 * None once the action is deleted (its name stays).
 */
action_id: number | null, action_name: string, conversation_id: number | null, 
/**
 * Run from the test panel.
 */
test: boolean, request: ActionRequestShown, request_truncated: boolean, response_status: number | null, response_headers: Array<ActionHeader>, response_body: string | null, 
/**
 * The stored body was cut (at 64 KiB, or at the action's response cap).
 */
response_truncated: boolean, duration_ms: number, outcome: ActionOutcome, error: string | null, 
/**
 * Whether the result reached the conversation (a reply was sent from it).
 */
reached_conversation: boolean, };

export type ActionLogQuery = { agent_id?: number, action_id?: number, outcome?: ActionOutcome, conversation_id?: number, 
/**
 * From this instant (inclusive).
 */
from?: string, 
/**
 * Until this instant (exclusive).
 */
to?: string, 
/**
 * Entries older than this id (the previous page's `next_before_id`).
 */
before_id?: number, 
/**
 * Default 50, at most 200 (a 422 outside 1–200).
 */
limit?: number, };

export type ActionLogPage = { entries: Array<ActionLogEntry>, 
/**
 * Pass as `before_id` for the next page; None on the last.
 */
next_before_id: number | null, };

export type ActionUpdateArgs = { id: number, action: ActionInput, };

export type WebhookEvent = "handoff.requested" | "handoff.completed" | "conversation.assigned" | "conversation.resolved" | "lead.created" | "action.triggered" | "webhook.test";

export type Webhook = { id: number, agent_id: number, 
/**
 * A slug unique per agent (`create_support_ticket`).
 */
name: string, 
/**
 * When the agent should trigger it.
 */
description: string, 
/**
 * Where events are POSTed.
 */
url: string, 
/**
 * Whether deliveries carry a summary of the conversation.
 */
send_chat_summary: boolean, 
/**
 * What the visitor is told once it has been triggered.
 */
success_message: string, active: boolean, events: Array<WebhookEvent>, 
/**
 * Private or loopback hosts and networks it may call (`192.168.1.20`, `10.0.0.0/8`,
 * `crm.lan`). Shown with a warning.
 */
allow: Array<string>, 
/**
 * During a rotation: until when the previous secret still signs too.
 */
previous_secret_expires_at: string | null, 
/**
 * Why Baton turned it off (the endpoint answered 410 Gone); null otherwise.
 */
disabled_reason: string | null, created_at: string, updated_at: string, };

export type WebhookInput = { agent_id?: number, name: string, description?: string, url: string, send_chat_summary?: boolean, 
/**
 * Default: "Thanks, your request has been sent to our team."
 */
success_message?: string, 
/**
 * Default true.
 */
active?: boolean, events?: Array<WebhookEvent>, allow?: Array<string>, };

export type WebhookWithSecret = { webhook: Webhook, 
/**
 * `whsec_` + base64 of 24 random bytes: shown this once, store it now.
 */
secret: string, };

export type WebhookDeliveryStatus = "pending" | "retrying" | "sending" | "delivered" | "exhausted" | "failed";

export type WebhookAttempt = { 
/**
 * 1, 2, … (numbered on across redeliveries).
 */
attempt: number, started_at: string, 
/**
 * Null while it runs.
 */
finished_at: string | null, 
/**
 * Answered with a 2xx in time.
 */
ok: boolean | null, status_code: number | null, duration_ms: number | null, 
/**
 * The start of the answer's body (at most 2 KiB).
 */
response: string | null, error: string | null, };

export type WebhookDelivery = { 
/**
 * The delivery's id (for `webhook_redeliver`).
 */
id: number, webhook_id: number, 
/**
 * The test button's (`webhook.test`): sent once, never again.
 */
test: boolean, event: WebhookEvent, 
/**
 * The `webhook-id` header: the same on every attempt and redelivery.
 */
message_id: string, conversation_id: number | null, status: WebhookDeliveryStatus, 
/**
 * When a pending or retrying delivery is due.
 */
next_attempt_at: string | null, last_error: string | null, created_at: string, finished_at: string | null, 
/**
 * The JSON body exactly as signed and sent.
 */
body: string, attempts: Array<WebhookAttempt>, };

export type WebhookDeliveryQuery = { 
/**
 * The endpoint.
 */
id: number, status?: WebhookDeliveryStatus, 
/**
 * Deliveries older than this id (the previous page's `next_before_id`).
 */
before_id?: number, 
/**
 * Default 50, at most 200 (a 422 outside 1–200).
 */
limit?: number, };

export type WebhookDeliveryPage = { deliveries: Array<WebhookDelivery>, 
/**
 * Pass as `before_id` for the next page; null on the last.
 */
next_before_id: number | null, };

export type WebhookRedelivered = { 
/**
 * The deliveries queued again (exhausted or failed ones).
 */
delivery_ids: number[], };

export type WebhookTestResult = { 
/**
 * Its entry in the delivery log (marked `test`).
 */
delivery_id: number, 
/**
 * Answered with a 2xx within 15 s.
 */
ok: boolean, 
/**
 * Null when nothing came back (blocked, timeout, unreachable).
 */
status_code: number | null, duration_ms: number, 
/**
 * The start of the answer's body (at most 2 KiB).
 */
response: string | null, 
/**
 * What went wrong, in words.
 */
error: string | null, 
/**
 * The `webhook-id` it was sent with.
 */
message_id: string, 
/**
 * The JSON body as sent.
 */
body: string, };

export type WebhookUpdateArgs = { id: number, webhook: WebhookInput, };

export type VisitorFormArgs = { conversation_id: number, visitor_token: string, form: ContactFormSubmit, };

export type VisitorClickArgs = { conversation_id: number, visitor_token: string, click: ButtonClick, };

export type VisitorActionFormArgs = { conversation_id: number, visitor_token: string, action_id: number, form: FormSubmit, };

export type VisitorActionButtonArgs = { conversation_id: number, visitor_token: string, action_id: number, };

export type VisitorChannelArgs = { conversation_id: number, visitor_token: string, choice: ChannelChoice, };

export type VisitorEndArgs = { conversation_id: number, visitor_token: string, };

export type LeadSource = "gathering" | "contact_form" | "handoff" | "action_form";

export type Lead = { id: number, agent_id: number, name: string | null, email: string | null, phone: string | null, 
/**
 * Other gathered fields (label → value).
 */
custom: { [key in string]?: string }, source: LeadSource, 
/**
 * The consent message the visitor agreed to, and when (null: none asked).
 */
consent_text: string | null, consent_at: string | null, 
/**
 * The conversation the lead first came from.
 */
conversation_id: number | null, created_at: string, updated_at: string, };

export type LeadConversation = { id: number, started_at: string, 
/**
 * `widget`, `api` or `playground`.
 */
channel: string, };

export type LeadDetail = { lead: Lead, conversations: Array<LeadConversation>, };

export type LeadDeleted = { id: number, 
/**
 * Conversations no longer linked to a lead (not deleted).
 */
conversations_unlinked: number, message: string, };

export type LeadPage = { leads: Array<Lead>, 
/**
 * Pass as `before_id` for the next page; null on the last.
 */
next_before_id: number | null, };

export type LeadQuery = { agent_id?: number, 
/**
 * Part of the name, email or phone (case-insensitive).
 */
search?: string, 
/**
 * Created from this instant (inclusive).
 */
from?: string, 
/**
 * Created before this instant (exclusive).
 */
to?: string, 
/**
 * Leads older than this id (the previous page's `next_before_id`).
 */
before_id?: number, 
/**
 * Default 50, at most 200 (a 422 outside 1–200).
 */
limit?: number, };

export type LeadSettings = { gathering: Gathering, contact_form: ContactForm, emails: LeadEmails, };

export type LeadSettingsInput = { agent_id?: number, settings: LeadSettings, };

export type Gathering = { enabled: boolean, fields: Array<GatherField>, when: GatherWhen, 
/**
 * Visitor messages before the agent asks (default 3).
 */
after_messages: number, how: GatherHow, 
/**
 * The country a phone number without `+` is read in (ISO 3166-1 alpha-2, e.g. `DE`);
 * null: only international numbers are accepted.
 */
phone_country?: string, };

export type GatherField = { kind: GatherKind, 
/**
 * What the field is called: the lead's column for a custom field, and how the agent
 * names it when it asks ("your company name"). Required for custom fields; for the
 * others empty means the default ("email address", "first name", "phone number").
 */
label: string, 
/**
 * Custom fields only.
 */
field_type: CustomType, };

export type GatherKind = "email" | "first_name" | "phone" | "custom";

export type CustomType = "text" | "number" | "email" | "phone" | "url";

export type GatherWhen = "after_messages" | "interest";

export type GatherHow = "subtle" | "direct";

export type ContactForm = { enabled: boolean, position: FormPosition, heading: string, name: FieldMode, email: FieldMode, phone: FieldMode, submit_label: string, 
/**
 * Said after a submission with a name; `{user_name}` is replaced by it.
 */
success_message_with_name: string, 
/**
 * Said after a submission without a name.
 */
success_message: string, 
/**
 * Show the consent message with a checkbox the visitor must tick.
 */
consent: boolean, consent_message: string, };

export type FormPosition = "at_start" | "after_first_response" | "at_end";

export type FieldMode = "off" | "optional" | "required";

export type LeadEmails = { 
/**
 * An email when a lead is captured (contact form submitted, gathering completed).
 */
lead_notification: boolean, lead_recipients: Array<string>, 
/**
 * A transcript after a conversation ends (resolved, or idle for `idle_minutes`).
 */
transcript: boolean, transcript_recipients: Array<string>, 
/**
 * Minutes without a visitor message after which a conversation has ended (default 30).
 */
idle_minutes: number, 
/**
 * Skip the transcript when a lead or handoff email was already sent for the conversation.
 */
skip_transcript: boolean, };

export type ContactFormField = { 
/**
 * `name`, `email` or `phone`: the key of the submitted value.
 */
name: string, label: string, required: boolean, };

export type ContactFormView = { heading: string, fields: Array<ContactFormField>, submit_label: string, 
/**
 * The consent message to show with a checkbox the visitor must tick (null: none).
 */
consent_message: string | null, };

export type ContactFormSubmit = { name?: string, email?: string, phone?: string, 
/**
 * The consent checkbox (required true when the form shows a consent message).
 */
consent: boolean, };

export type ContactFormResult = { message: Message, };

export type VisitorEnded = { contact_form: ContactFormView | null, };

export type ExportFormat = "csv" | "xlsx";

export type LeadExportQuery = { format: ExportFormat, from: string, to: string, 
/**
 * Comma-separated: `id, created_at, name, email, phone, source, consent_text,
 * consent_at, conversation_id, custom`. Default: all.
 */
columns?: string, agent_id?: number, 
/**
 * CSV only: start with a UTF-8 byte-order mark (Excel needs it for accents). Default true.
 */
bom?: boolean, };

export type ButtonGroup = { 
/**
 * Stable id, given by Baton on the first save (send it back to keep the group's clicks
 * together); empty or omitted for a new group.
 */
id: string, 
/**
 * For the owner only; visitors never see it (≤ 100 characters).
 */
name: string, 
/**
 * 1–3 buttons, in the order shown.
 */
buttons: Array<ChatButton>, 
/**
 * When should these buttons appear? Plain words, required (≤ 500 characters).
 */
trigger: string, 
/**
 * Visitor phrases that should show the group (≤ 20, each ≤ 200 characters).
 */
examples: Array<string>, active: boolean, };

export type ChatButton = { 
/**
 * What the visitor reads (≤ 40 characters).
 */
label: string, 
/**
 * An `https://` or `http://` address, opened in a new tab.
 */
url: string, 
/**
 * `lucide:NAME` (the built-in set, [`crate::chat::icons`]), `upload:ID` (an uploaded
 * image, see `icon_upload`), or null for no icon.
 */
icon: string | null, };

export type ButtonGroups = { groups: Array<ButtonGroup>, };

export type ButtonGroupsInput = { agent_id?: number, groups: Array<ButtonGroup>, };

export type ButtonView = { 
/**
 * Its position in the group (what a click reports).
 */
index: number, label: string, url: string, 
/**
 * Where the icon is served, relative to the server (`/v1/icons/…`); null: no icon.
 */
icon_url: string | null, };

export type ButtonClick = { group_id: string, index: number, };

export type BuiltinIcon = { 
/**
 * What a button stores (`lucide:dollar-sign`).
 */
icon: string, name: string, 
/**
 * The words the search matches besides the name.
 */
keywords: string, 
/**
 * The icon as an SVG document (safe to show: it is Baton's own).
 */
svg: string, };

export type IconSearch = { 
/**
 * Part of a name or keyword; empty lists every icon.
 */
search?: string, };

export type IconUpload = { 
/**
 * The file's name, for messages only.
 */
file_name?: string, 
/**
 * The file's bytes, base64 (standard alphabet).
 */
data_base64: string, };

export type IconUploaded = { 
/**
 * What a button stores (`upload:…`).
 */
icon: string, mime_type: string, bytes: number, 
/**
 * Where it is served (`/v1/icons/…`).
 */
url: string, 
/**
 * What sanitising removed from an SVG (elements and attributes), for the owner.
 */
removed: Array<string>, };

export type IconRef = { 
/**
 * `lucide:NAME` or `upload:ID`.
 */
icon: string, };

export type IconData = { mime_type: string, data_url: string, };

export type HandoverChannel = "inbox" | "email" | "whatsapp" | "telegram" | "instagram" | "messenger";

export type HandoverChannels = { 
/**
 * Said with the channel buttons when the agent hands over (≤ 500 characters).
 */
transition_message: string, 
/**
 * Said after the visitor sends the email channel's form (≤ 500 characters).
 */
confirmation_message: string, inbox: InboxChannel, email: EmailChannel, whatsapp: WhatsappChannel, telegram: HandleChannel, instagram: HandleChannel, messenger: HandleChannel, };

export type InboxChannel = { enabled: boolean, };

export type EmailChannel = { enabled: boolean, 
/**
 * Where the visitor's request goes.
 */
address: string, 
/**
 * Also send the visitor a receipt (when they gave an email address).
 */
send_confirmation: boolean, };

export type WhatsappChannel = { enabled: boolean, 
/**
 * The support number in international format (`+14155550123`); stored in E.164.
 */
phone: string, };

export type HandleChannel = { enabled: boolean, 
/**
 * The username (without `@`), or for Messenger the page's username or id.
 */
username: string, };

export type HandoverChannelsInput = { agent_id?: number, channels: HandoverChannels, };

export type ChannelOption = { channel: HandoverChannel, label: string, 
/**
 * The deep link a messaging channel opens (in a new tab), with the summary pre-filled
 * where the platform allows (WhatsApp, Telegram); null for the inbox and email.
 */
url: string | null, };

export type ChannelChoice = { channel: HandoverChannel, };

export type ChannelChosen = { 
/**
 * The agent's answer (the inbox: a person will take over here), if any.
 */
message: Message | null, 
/**
 * The form to show (the email channel).
 */
contact_form: ContactFormView | null, };

export type Commands = {
  agent_list: { args: NoArgs; result: Array<Agent> };
  agent_get: { args: IdArgs; result: Agent };
  agent_create: { args: AgentCreate; result: Agent };
  agent_update: { args: AgentUpdateArgs; result: Agent };
  agent_delete: { args: IdArgs; result: null };
  operator_list: { args: NoArgs; result: Array<Operator> };
  operator_get: { args: IdArgs; result: Operator };
  operator_create: { args: OperatorCreate; result: Operator };
  operator_update: { args: OperatorUpdateArgs; result: Operator };
  operator_delete: { args: IdArgs; result: null };
  handoff_config_get: { args: AgentScope; result: HandoffConfiguration };
  handoff_config_update: { args: HandoffConfigUpdateArgs; result: HandoffConfiguration };
  hours_check: { args: HoursCheckArgs; result: HoursStatus };
  hours_preview: { args: HoursPreviewArgs; result: HoursStatus };
  token_list: { args: NoArgs; result: Array<ApiToken> };
  token_create: { args: TokenCreate; result: CreatedToken };
  token_revoke: { args: IdArgs; result: ApiToken };
  engine_get: { args: AgentScope; result: EngineSettings };
  engine_set: { args: EngineSettingsInput; result: EngineSettings };
  engine_test: { args: AgentScope; result: string };
  engine_health: { args: AgentScope; result: EngineHealth };
  knowledge_list: { args: AgentScope; result: Array<KnowledgeEntry> };
  knowledge_create: { args: KnowledgeInput; result: KnowledgeEntry };
  knowledge_update: { args: KnowledgeUpdateArgs; result: KnowledgeEntry };
  knowledge_delete: { args: IdArgs; result: null };
  visitor_start: { args: ConversationStart; result: VisitorSession };
  visitor_send: { args: VisitorSendArgs; result: VisitorReply };
  visitor_form_submit: { args: VisitorFormArgs; result: ContactFormResult };
  visitor_end: { args: VisitorEndArgs; result: VisitorEnded };
  visitor_button_click: { args: VisitorClickArgs; result: null };
  visitor_action_form: { args: VisitorActionFormArgs; result: ActionAnswered };
  visitor_action_button: { args: VisitorActionButtonArgs; result: ActionAnswered };
  visitor_channel_choose: { args: VisitorChannelArgs; result: ChannelChosen };
  visitor_handover_email: { args: VisitorFormArgs; result: ContactFormResult };
  inbox_list: { args: InboxQuery; result: InboxPage };
  inbox_setup: { args: AgentScope; result: SetupChecklist };
  conversation_open: { args: IdArgs; result: ConversationDetail };
  conversation_take: { args: ConversationTake; result: Conversation };
  conversation_assign: { args: ConversationAssign; result: Conversation };
  conversation_reply: { args: ConversationReply; result: Message };
  conversation_note: { args: ConversationText; result: Message };
  conversation_resolve: { args: ConversationAction; result: Conversation };
  conversation_reopen: { args: ConversationAction; result: Conversation };
  conversation_hand_back: { args: ConversationHandBack; result: Conversation };
  conversation_handoff: { args: ConversationManualHandoff; result: Conversation };
  settings_smtp_get: { args: NoArgs; result: SmtpSettings | null };
  settings_smtp_set: { args: SmtpSettings; result: SmtpSettings };
  settings_smtp_test: { args: SmtpTestArgs; result: null };
  settings_public_url_get: { args: NoArgs; result: PublicUrl };
  settings_public_url_set: { args: PublicUrlInput; result: PublicUrl };
  notification_list: { args: NoArgs; result: Array<Notification> };
  action_list: { args: AgentScope; result: Array<Action> };
  action_get: { args: IdArgs; result: Action };
  action_create: { args: ActionInput; result: Action };
  action_update: { args: ActionUpdateArgs; result: Action };
  action_delete: { args: IdArgs; result: null };
  action_test: { args: ActionTestArgs; result: ActionTestResult };
  action_log_list: { args: ActionLogQuery; result: ActionLogPage };
  webhook_list: { args: AgentScope; result: Array<Webhook> };
  webhook_get: { args: IdArgs; result: Webhook };
  webhook_create: { args: WebhookInput; result: WebhookWithSecret };
  webhook_update: { args: WebhookUpdateArgs; result: Webhook };
  webhook_delete: { args: IdArgs; result: null };
  webhook_rotate_secret: { args: IdArgs; result: WebhookWithSecret };
  webhook_test: { args: IdArgs; result: WebhookTestResult };
  webhook_delivery_list: { args: WebhookDeliveryQuery; result: WebhookDeliveryPage };
  webhook_redeliver: { args: IdArgs; result: WebhookDelivery };
  webhook_redeliver_failed: { args: IdArgs; result: WebhookRedelivered };
  lead_settings_get: { args: AgentScope; result: LeadSettings };
  lead_settings_set: { args: LeadSettingsInput; result: LeadSettings };
  lead_list: { args: LeadQuery; result: LeadPage };
  lead_get: { args: IdArgs; result: LeadDetail };
  lead_delete: { args: IdArgs; result: LeadDeleted };
  button_groups_get: { args: AgentScope; result: ButtonGroups };
  button_groups_set: { args: ButtonGroupsInput; result: ButtonGroups };
  icon_list: { args: IconSearch; result: Array<BuiltinIcon> };
  icon_upload: { args: IconUpload; result: IconUploaded };
  icon_data: { args: IconRef; result: IconData };
  handover_channels_get: { args: AgentScope; result: HandoverChannels };
  handover_channels_set: { args: HandoverChannelsInput; result: HandoverChannels };
};
