// HTTP request actions in the editor: the draft the form edits, turning it into the
// `ActionInput` the server takes (and back), the checks the UI makes before saving (the server
// checks everything again: src/actions/validate.rs, limits in docs/api.md), the JSON body check
// with template variables filled in, the template variables, test arguments, log filters and
// the words for outcomes. Pure functions.

import type {
  Action,
  ActionApiKeyLocation,
  ActionAuthInput,
  ActionAuthKind,
  ActionHeader,
  ActionInput,
  ActionKind,
  ActionLogEntry,
  ActionLogQuery,
  ActionMethod,
  ActionOnFailure,
  ActionOutcome,
  ActionParamLocation,
  ActionParamType,
  ActionParameter,
  ActionTestArgs,
} from './bindings';
import {
  buttonDraft,
  buttonInput,
  checkButton,
  checkForm,
  emptyButton,
  emptyForm,
  formDraft,
  formInput,
  type ButtonDraft,
  type FormDraft,
} from './action-kinds';
import { duplicates } from './checks';
import { charCount } from './text';

/** The server's limits (src/actions/validate.rs). */
export const LIMITS = {
  name: 64,
  description: 2000,
  whenNotToUse: 1000,
  examples: 20,
  example: 300,
  url: 2000,
  headers: 30,
  headerName: 100,
  headerValue: 4000,
  body: 20_000,
  parameters: 20,
  paramName: 64,
  paramDescription: 1000,
  paramExample: 200,
  enumValues: 50,
  enumValue: 100,
  username: 200,
  keyName: 100,
  secret: 4096,
  timeoutDefault: 10_000,
  timeoutMin: 100,
  timeoutMax: 30_000,
  responseDefaultKiB: 1024,
  responseMinKiB: 1,
  responseMaxKiB: 10 * 1024,
  reply: 2000,
  failureMessage: 1000,
  allow: 20,
} as const;

/** What the visitor is told when a call fails and no message is set (the server's default). */
export const DEFAULT_FAILURE_MESSAGE =
  "Sorry, I couldn't get that information right now. Please try again in a moment.";

export const METHODS: ActionMethod[] = ['GET', 'POST', 'PUT', 'PATCH', 'DELETE'];

export const LOCATIONS: { value: ActionParamLocation; label: string }[] = [
  { value: 'path', label: 'Path' },
  { value: 'query', label: 'Query' },
  { value: 'header', label: 'Header' },
  { value: 'body', label: 'Body' },
];

export const TYPES: { value: ActionParamType; label: string }[] = [
  { value: 'string', label: 'Text' },
  { value: 'integer', label: 'Whole number' },
  { value: 'number', label: 'Number' },
  { value: 'boolean', label: 'Yes / no' },
  { value: 'email', label: 'Email' },
  { value: 'enum', label: 'One of a list' },
];

export const AUTH_KINDS: { value: ActionAuthKind; label: string }[] = [
  { value: 'none', label: 'None' },
  { value: 'bearer', label: 'Bearer token' },
  { value: 'basic', label: 'Basic (user name and password)' },
  { value: 'api_key', label: 'API key' },
];

/** What the secret is called for each kind of authentication. */
export const SECRET_LABEL: Record<ActionAuthKind, string> = {
  none: 'Secret',
  bearer: 'Token',
  basic: 'Password',
  api_key: 'API key',
};

/** The conversation variables every template may use (src/template.rs `BUILTIN`), with what
 * they hold; `metadata.KEY` and `params.NAME` stand for families. */
export const VARIABLES: { name: string; help: string }[] = [
  { name: 'conversation.id', help: 'The conversation’s number' },
  { name: 'conversation.user_id', help: 'The visitor’s user id on your site' },
  { name: 'conversation.channel', help: 'Where the visitor writes from (widget, api…)' },
  { name: 'message.content', help: 'The visitor’s latest message' },
  { name: 'message.sentiment', help: 'How the latest message sounds' },
  { name: 'lead.email', help: 'The visitor’s email, once given' },
  { name: 'lead.name', help: 'The visitor’s name, once given' },
  { name: 'lead.phone', help: 'The visitor’s phone, once given' },
  { name: 'agent.id', help: 'This AI agent’s number' },
  { name: 'language', help: 'The conversation’s language' },
  { name: 'country', help: 'The visitor’s country' },
  { name: 'metadata.KEY', help: 'A value your site passed with the conversation' },
  { name: 'params.NAME', help: 'A parameter of this action' },
];

/** Outcomes in plain words, with what each means. */
export const OUTCOME: Record<ActionOutcome, { label: string; help: string; tone: string }> = {
  success: { label: 'Success', help: 'Answered, and the reply was built', tone: 'ok' },
  http_error: {
    label: 'Failed',
    help: 'An error answer, too many redirects, or the server could not be reached',
    tone: 'urgent',
  },
  timeout: { label: 'Timed out', help: 'No answer within the time limit', tone: 'urgent' },
  blocked: {
    label: 'Blocked',
    help: 'A private or local address not on the allow-list: nothing was sent',
    tone: 'high',
  },
  invalid_response: {
    label: 'Unusable answer',
    help: 'Too large, not JSON, or missing what the reply template needs',
    tone: 'urgent',
  },
  skipped: { label: 'Skipped', help: 'Held back by “when not to use”', tone: '' },
};

export type ParameterDraft = {
  name: string;
  location: ActionParamLocation;
  type: ActionParamType;
  /** Kept while another type is picked, sent for `enum` only. */
  values: string[];
  description: string;
  required: boolean;
  example: string;
};

export type AuthDraft = {
  kind: ActionAuthKind;
  username: string;
  key_location: ActionApiKeyLocation;
  key_name: string;
  /** Typed now; empty keeps the stored one. Never filled from the server. */
  secret: string;
  /** "Remove" was pressed: the stored secret is cleared on save. */
  clear: boolean;
};

/** The action as the form edits it. Lists keep their order and length in `toInput`, so the
 * server's paths (`headers[1].name`, `parameters[0].required`) point at the same rows. */
export type ActionDraft = {
  /** The type; the other types' parts are kept while one is picked, sent for it only. */
  type: ActionKind;
  form: FormDraft;
  button: ButtonDraft;
  name: string;
  description: string;
  when_not_to_use: string;
  examples: string[];
  active: boolean;
  method: ActionMethod;
  url: string;
  headers: ActionHeader[];
  /** Kept while GET is picked, sent for the other methods. */
  body: string;
  parameters: ParameterDraft[];
  auth: AuthDraft;
  timeout_ms: number | null;
  max_response_kib: number | null;
  reply_template: string;
  failure_message: string;
  on_failure: ActionOnFailure;
  allow: string[];
};

export function emptyParameter(): ParameterDraft {
  return {
    name: '',
    location: 'query',
    type: 'string',
    values: [],
    description: '',
    required: true,
    example: '',
  };
}

export function emptyDraft(): ActionDraft {
  return {
    type: 'http',
    form: emptyForm(),
    button: emptyButton(),
    name: '',
    description: '',
    when_not_to_use: '',
    examples: [],
    active: true,
    method: 'GET',
    url: 'https://',
    headers: [],
    body: '',
    parameters: [],
    auth: {
      kind: 'none',
      username: '',
      key_location: 'header',
      key_name: '',
      secret: '',
      clear: false,
    },
    timeout_ms: LIMITS.timeoutDefault,
    max_response_kib: LIMITS.responseDefaultKiB,
    reply_template: '',
    failure_message: '',
    on_failure: 'say',
    allow: [],
  };
}

export function fromAction(a: Action): ActionDraft {
  return {
    type: a.type,
    form: formDraft(a.form),
    button: buttonDraft(a.button),
    name: a.name,
    description: a.description,
    when_not_to_use: a.when_not_to_use,
    examples: [...a.examples],
    active: a.active,
    method: a.method,
    url: a.url,
    headers: a.headers.map((h) => ({ name: h.name, value: h.value })),
    body: a.body ?? '',
    parameters: a.parameters.map((p) => ({
      name: p.name,
      location: p.location,
      type: p.type,
      values: [...p.values],
      description: p.description,
      required: p.required,
      example: p.example ?? '',
    })),
    auth: {
      kind: a.auth.kind,
      username: a.auth.username ?? '',
      key_location: a.auth.key_location ?? 'header',
      key_name: a.auth.key_name ?? '',
      secret: '',
      clear: false,
    },
    timeout_ms: a.timeout_ms,
    max_response_kib: a.max_response_bytes / 1024,
    reply_template: a.reply_template ?? '',
    failure_message: a.failure_message,
    on_failure: a.on_failure,
    allow: [...a.allow],
  };
}

/** A number field's value (`bind:value` on an empty number input gives null or undefined). */
function numberOf(v: unknown): number | null {
  return typeof v === 'number' && Number.isFinite(v) ? v : null;
}

const blankToNull = (s: string) => (s.trim() ? s : null);

export function toAuthInput(a: AuthDraft): ActionAuthInput {
  // Typed wins; "Remove" sends "" (clear); neither sends null (keep the stored one).
  const secret = a.secret !== '' ? a.secret : a.clear ? '' : null;
  return {
    kind: a.kind,
    username: a.kind === 'basic' ? a.username.trim() : null,
    key_location: a.kind === 'api_key' ? a.key_location : null,
    key_name: a.kind === 'api_key' ? a.key_name.trim() : null,
    secret: a.kind === 'none' ? null : secret,
  };
}

/** The document `action_create` / `action_update` take. */
export function toInput(d: ActionDraft, agentId: number | null): ActionInput {
  if (d.type !== 'http') {
    // A form or a button sends no request of its own: none of the request's fields.
    return {
      agent_id: agentId,
      type: d.type,
      name: d.name.trim(),
      description: d.description,
      when_not_to_use: d.when_not_to_use,
      examples: d.examples.map((e) => e.trim()),
      active: d.active,
      headers: [],
      body: null,
      parameters: [],
      auth: null,
      timeout_ms: null,
      max_response_bytes: null,
      reply_template: null,
      failure_message: null,
      on_failure: 'say',
      allow: [],
      form: d.type === 'form' ? formInput(d.form) : undefined,
      button: d.type === 'button' ? buttonInput(d.button) : undefined,
    };
  }
  const kib = numberOf(d.max_response_kib);
  return {
    type: 'http',
    agent_id: agentId,
    name: d.name.trim(),
    description: d.description,
    when_not_to_use: d.when_not_to_use,
    examples: d.examples.map((e) => e.trim()),
    active: d.active,
    method: d.method,
    url: d.url.trim(),
    headers: d.headers.map((h) => ({ name: h.name.trim(), value: h.value })),
    body: d.method === 'GET' ? null : blankToNull(d.body),
    parameters: d.parameters.map((p): ActionParameter => ({
      name: p.name.trim(),
      location: p.location,
      type: p.type,
      values: p.type === 'enum' ? p.values.map((v) => v.trim()) : [],
      description: p.description,
      // A path parameter is part of the address: always required.
      required: p.location === 'path' ? true : p.required,
      example: p.example.trim() ? p.example.trim() : null,
    })),
    auth: toAuthInput(d.auth),
    timeout_ms: numberOf(d.timeout_ms),
    max_response_bytes: kib === null ? null : Math.round(kib * 1024),
    reply_template: blankToNull(d.reply_template),
    failure_message: blankToNull(d.failure_message),
    on_failure: d.on_failure,
    allow: d.allow.map((a) => a.trim()),
  };
}

/** An action saved as it is with one change (the list's Active switch): the auth and its
 * secret are kept (`auth: null`). */
export function inputOf(a: Action, changes: Partial<ActionInput> = {}): ActionInput {
  return {
    ...toInput(fromAction(a), a.agent_id),
    auth: null,
    ...changes,
  };
}

// ---------- templates ----------

/** The `{{name}}` variables of a template, in order, without the escaped `\{{…}}`. */
export function templateVariables(text: string): string[] {
  const out: string[] = [];
  const re = /(\\*)\{\{\s*([^{}]*?)\s*\}\}/g;
  for (let m = re.exec(text); m; m = re.exec(text)) {
    if (m[1].length % 2 === 1) continue;
    out.push(m[2]);
  }
  return out;
}

/** Names of the parameters a template of the request or the reply uses. */
export function paramsUsed(d: ActionDraft): Set<string> {
  const texts = [d.url, ...d.headers.map((h) => h.value), d.reply_template];
  if (d.method !== 'GET') texts.push(d.body);
  const out = new Set<string>();
  for (const t of texts)
    for (const v of templateVariables(t)) if (v.startsWith('params.')) out.add(v.slice(7));
  return out;
}

/** The host (and port) of a URL template, whose scheme and host are written out:
 * `https://api.shop.example/orders/{{params.id}}` → `api.shop.example`. */
export function hostOf(url: string): string {
  const m = /^[a-z][a-z0-9+.-]*:\/\/([^/?#]*)/i.exec(url.trim());
  if (!m) return '';
  return m[1].replace(/^[^@]*@/, '').toLowerCase();
}

/** A problem with a JSON text: where (0-based offset) and what. */
export type JsonProblem = { at: number; message: string };

/** Checks JSON text the way a strict parser does, saying where and what is wrong in words
 * (the same words in every browser). Null when it is valid JSON. */
export function jsonProblem(text: string): JsonProblem | null {
  let i = 0;
  const ws = () => {
    while (i < text.length && ' \t\n\r'.includes(text[i])) i++;
  };
  const fail = (message: string): never => {
    throw { at: i, message } satisfies JsonProblem;
  };
  const str = () => {
    i++; // the opening quote
    for (;;) {
      if (i >= text.length) fail('a text in quotes is not closed');
      const c = text[i];
      if (c === '"') {
        i++;
        return;
      }
      if (c === '\\') {
        const e = text[i + 1];
        if (e === 'u') {
          if (!/^[0-9a-fA-F]{4}$/.test(text.slice(i + 2, i + 6)))
            fail('\\u must be followed by 4 hex digits');
          i += 6;
        } else if (e !== undefined && '"\\/bfnrt'.includes(e)) i += 2;
        else fail('a backslash in quotes must start an escape like \\n or \\"');
        continue;
      }
      if (c < ' ') fail('a line break or tab inside quotes must be written \\n or \\t');
      i++;
    }
  };
  const value = (): void => {
    ws();
    const c = text[i];
    if (c === '{') {
      i++;
      ws();
      if (text[i] === '}') {
        i++;
        return;
      }
      for (;;) {
        ws();
        if (text[i] !== '"') fail('expected a key in double quotes');
        str();
        ws();
        if (text[i] !== ':') fail('expected : after the key');
        i++;
        value();
        ws();
        if (text[i] === ',') {
          i++;
          continue;
        }
        if (text[i] === '}') {
          i++;
          return;
        }
        fail('expected , or } after the value');
      }
    }
    if (c === '[') {
      i++;
      ws();
      if (text[i] === ']') {
        i++;
        return;
      }
      for (;;) {
        value();
        ws();
        if (text[i] === ',') {
          i++;
          continue;
        }
        if (text[i] === ']') {
          i++;
          return;
        }
        fail('expected , or ] after the value');
      }
    }
    if (c === '"') return str();
    const num = /^-?(0|[1-9]\d*)(\.\d+)?([eE][+-]?\d+)?/.exec(text.slice(i));
    if (num && num[0] && /[\d]$/.test(num[0])) {
      i += num[0].length;
      return;
    }
    for (const word of ['true', 'false', 'null']) {
      if (text.startsWith(word, i)) {
        i += word.length;
        return;
      }
    }
    if (i >= text.length) fail('the text ends where a value was expected');
    fail('expected a value: an object, a list, a text in "quotes", a number, true, false or null');
  };
  try {
    value();
    ws();
    if (i < text.length) fail('there is more after the end of the JSON value');
    return null;
  } catch (e) {
    return e as JsonProblem;
  }
}

/** A JSON body template with stand-in values, as the server checks it: a variable inside a
 * string becomes `x`, one outside a string a whole string `"x"`; `\{{` is literal braces.
 * `map[i]` is the offset in `template` of the character `i` of the result. */
export function fillBody(template: string): { text: string; map: number[] } | JsonProblem {
  let text = '';
  const map: number[] = [];
  let inString = false;
  let escaped = false;
  const emit = (s: string, from: number) => {
    for (const c of s) {
      text += c;
      map.push(from);
      if (inString) {
        if (escaped) escaped = false;
        else if (c === '\\') escaped = true;
        else if (c === '"') inString = false;
      } else if (c === '"') inString = true;
    }
  };
  let i = 0;
  while (i < template.length) {
    if (template.startsWith('{{', i)) {
      // The run of backslashes just before: odd escapes the braces (one is dropped).
      let run = 0;
      while (run < i && template[i - 1 - run] === '\\') run++;
      if (run % 2 === 1) {
        text = text.slice(0, -1);
        map.pop();
        // The dropped backslash toggled the escape state: recompute it for the rest.
        if (inString) escaped = !escaped;
        emit('{{', i);
        i += 2;
        continue;
      }
      const end = template.indexOf('}}', i + 2);
      if (end < 0) return { at: i, message: 'a {{ is not closed with }}' };
      emit(inString ? 'x' : '"x"', i);
      i = end + 2;
      continue;
    }
    emit(template[i], i);
    i++;
  }
  return { text, map };
}

/** "line 2, column 5" of an offset. */
export function lineColumn(text: string, at: number): string {
  const before = text.slice(0, at);
  const line = before.split('\n').length;
  const column = at - (before.lastIndexOf('\n') + 1) + 1;
  return `line ${line}, column ${column}`;
}

/** Whether a JSON body template is valid JSON once its variables are filled in; `object`:
 * it must be an object (parameters are added to it as keys). Null when fine. */
export function checkJsonBody(template: string, { object = false } = {}): string | null {
  if (!template.trim()) return null;
  const filled = fillBody(template);
  if ('at' in filled)
    return `Not valid JSON at ${lineColumn(template, filled.at)}: ${filled.message}`;
  const p = jsonProblem(filled.text);
  if (p) {
    const at = p.at < filled.map.length ? filled.map[p.at] : template.length;
    return `Not valid JSON at ${lineColumn(template, at)}: ${p.message}`;
  }
  if (object && !filled.text.trim().startsWith('{'))
    return 'Body parameters are added to it as keys, so the body must be a JSON object { … }';
  return null;
}

/** A JSON text shown indented (as it is when it does not parse). */
export function pretty(text: string | null): string {
  if (!text) return '';
  try {
    return JSON.stringify(JSON.parse(text), null, 2);
  } catch {
    return text;
  }
}

// ---------- checks before saving ----------

const HEADER_NAME = /^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/;
const RESERVED_HEADERS = [
  'host',
  'content-length',
  'transfer-encoding',
  'connection',
  'upgrade',
  'te',
  'trailer',
  'keep-alive',
  'proxy-connection',
];
const CREDENTIAL_HEADERS = ['authorization', 'proxy-authorization'];

function tooLong(s: string | null | undefined, max: number): string | null {
  const n = charCount(s);
  return n > max ? `Use at most ${max} characters (this has ${n})` : null;
}

/** Every problem the UI can see in a draft, by the server's field path. `hasSecret`: the
 * saved action has a secret stored. */
export function checkDraft(d: ActionDraft, hasSecret = false): Record<string, string> {
  const out: Record<string, string> = {};
  const put = (path: string, msg: string | null) => {
    if (msg && !(path in out)) out[path] = msg;
  };

  const name = d.name.trim();
  if (!name) put('name', 'Enter a name, like get_order_status');
  else if (!/^[a-z][a-z0-9_]*$/.test(name))
    put('name', 'Use lower-case letters, digits and _ only, starting with a letter');
  put('name', tooLong(name, LIMITS.name));
  put('description', tooLong(d.description.trim(), LIMITS.description));
  put('when_not_to_use', tooLong(d.when_not_to_use.trim(), LIMITS.whenNotToUse));
  if (d.examples.length > LIMITS.examples)
    put('examples', `At most ${LIMITS.examples} examples are allowed`);
  d.examples.forEach((e, i) => put(`examples[${i}]`, tooLong(e.trim(), LIMITS.example)));
  if (d.type === 'form') {
    checkForm(d.form, put);
    return out;
  }
  if (d.type === 'button') {
    checkButton(d.button, put);
    return out;
  }

  const url = d.url.trim();
  if (!url || /^https?:\/\/$/i.test(url)) put('url', 'Enter the address to call');
  else if (!/^https?:\/\/[^/?#{}\s]+/i.test(url))
    put(
      'url',
      'Start with https:// (or http://) and the server’s name, like https://api.example.com/…',
    );
  put('url', tooLong(url, LIMITS.url));

  if (d.headers.length > LIMITS.headers)
    put('headers', `At most ${LIMITS.headers} headers are allowed`);
  const seen = new Set<string>();
  d.headers.forEach((h, i) => {
    const p = `headers[${i}]`;
    const n = h.name.trim();
    const lower = n.toLowerCase();
    if (!n) put(`${p}.name`, 'Enter the header’s name, or remove the row');
    else if (!HEADER_NAME.test(n) || n.length > LIMITS.headerName)
      put(`${p}.name`, 'Use letters, digits and - only, like X-Shop-Id');
    else if (CREDENTIAL_HEADERS.includes(lower))
      put(
        `${p}.name`,
        'Put credentials under Authentication: there they are stored encrypted and never shown',
      );
    else if (RESERVED_HEADERS.includes(lower)) put(`${p}.name`, `${n} is set by Baton itself`);
    else if (seen.has(lower)) put(`${p}.name`, `${n} is set twice`);
    seen.add(lower);
    put(`${p}.value`, tooLong(h.value, LIMITS.headerValue));
    if (/[\r\n]/.test(h.value)) put(`${p}.value`, 'A header value may not contain line breaks');
  });

  const used = paramsUsed(d);
  if (d.parameters.length > LIMITS.parameters)
    put('parameters', `At most ${LIMITS.parameters} parameters are allowed`);
  const dupNames = duplicates(d.parameters.map((p) => p.name));
  d.parameters.forEach((param, i) => {
    const p = `parameters[${i}]`;
    const n = param.name.trim();
    if (!n) put(`${p}.name`, 'Enter the parameter’s name, like order_id');
    else if (!/^[A-Za-z][A-Za-z0-9_-]*$/.test(n))
      put(`${p}.name`, 'Use letters, digits, _ and - only, starting with a letter');
    put(`${p}.name`, tooLong(n, LIMITS.paramName));
    if (dupNames[i]) put(`${p}.name`, `Another parameter is already named ${n}`);
    put(`${p}.description`, tooLong(param.description.trim(), LIMITS.paramDescription));
    put(`${p}.example`, tooLong(param.example.trim(), LIMITS.paramExample));
    if (param.type === 'enum') {
      if (param.values.length === 0) put(`${p}.values`, 'List the values it can take');
      if (param.values.length > LIMITS.enumValues)
        put(`${p}.values`, `At most ${LIMITS.enumValues} values are allowed`);
      param.values.forEach((v, j) => put(`${p}.values[${j}]`, tooLong(v, LIMITS.enumValue)));
    }
    if (param.location === 'body' && d.method === 'GET')
      put(`${p}.location`, 'A GET request has no body: pick another place or another method');
    if (param.location === 'header' && n) {
      const lower = n.toLowerCase();
      if (RESERVED_HEADERS.includes(lower) || CREDENTIAL_HEADERS.includes(lower))
        put(`${p}.name`, `${n} cannot be a parameter’s header`);
      else if (seen.has(lower)) put(`${p}.name`, `The header ${n} is also in Headers`);
    }
    if (param.location !== 'path' && !param.required && used.has(n))
      put(
        `${p}.required`,
        `{{params.${n}}} is used in a template, so it must be required (a template never sends a blank)`,
      );
    if (param.location === 'path' && n && !pathHasParam(d.url, n))
      put(`${p}.location`, `Write {{params.${n}}} in the address’s path where the value goes`);
  });

  if (d.method !== 'GET' && d.body.trim()) {
    put('body', tooLong(d.body, LIMITS.body));
    const object = d.parameters.some((p) => p.location === 'body' && !used.has(p.name.trim()));
    put('body', checkJsonBody(d.body, { object }));
  }

  const a = d.auth;
  const stored = hasSecret && !a.clear;
  if (a.kind === 'basic') {
    if (!a.username.trim()) put('auth.username', 'Enter the user name');
    else if (a.username.includes(':')) put('auth.username', 'A user name may not contain :');
    put('auth.username', tooLong(a.username.trim(), LIMITS.username));
  }
  if (a.kind === 'api_key') {
    const k = a.key_name.trim();
    if (!k)
      put(
        'auth.key_name',
        a.key_location === 'header'
          ? 'Enter the header’s name, like X-Api-Key'
          : 'Enter the query parameter’s name, like api_key',
      );
    else if (a.key_location === 'header' && !HEADER_NAME.test(k))
      put('auth.key_name', 'Use letters, digits and - only, like X-Api-Key');
    put('auth.key_name', tooLong(k, LIMITS.keyName));
    if (a.key_location === 'header' && seen.has(k.toLowerCase()))
      put('auth.key_name', `The header ${k} is also in Headers`);
  }
  if ((a.kind === 'bearer' || a.kind === 'api_key') && !a.secret && !stored)
    put('auth.secret', a.kind === 'bearer' ? 'Enter the token' : 'Enter the API key');
  if (a.kind !== 'none') {
    put('auth.secret', tooLong(a.secret, LIMITS.secret));
    // eslint-disable-next-line no-control-regex
    if (/[\u0000-\u001f\u007f]/.test(a.secret))
      put('auth.secret', 'The secret may not contain line breaks or tabs');
  }

  const t = numberOf(d.timeout_ms);
  if (d.timeout_ms !== null && d.timeout_ms !== undefined && t === null)
    put(
      'timeout_ms',
      `Enter a number of milliseconds from ${LIMITS.timeoutMin} to ${LIMITS.timeoutMax}`,
    );
  if (t !== null && (!Number.isInteger(t) || t < LIMITS.timeoutMin || t > LIMITS.timeoutMax))
    put(
      'timeout_ms',
      `Enter a whole number of milliseconds from ${LIMITS.timeoutMin} to ${LIMITS.timeoutMax}`,
    );
  const kib = numberOf(d.max_response_kib);
  if (kib !== null && (kib < LIMITS.responseMinKiB || kib > LIMITS.responseMaxKiB))
    put(
      'max_response_bytes',
      `Enter a size from ${LIMITS.responseMinKiB} to ${LIMITS.responseMaxKiB} KiB`,
    );

  put('reply_template', tooLong(d.reply_template, LIMITS.reply));
  put('failure_message', tooLong(d.failure_message.trim(), LIMITS.failureMessage));
  if (d.allow.length > LIMITS.allow) put('allow', `At most ${LIMITS.allow} entries are allowed`);
  return out;
}

/** Whether `{{params.NAME}}` is in the URL's path (before any `?` or `#`). */
export function pathHasParam(url: string, name: string): boolean {
  const end = url.search(/[?#]/);
  const path = end < 0 ? url : url.slice(0, end);
  return templateVariables(path).includes(`params.${name}`);
}

// ---------- the test panel ----------

/** `action_test`'s arguments from the panel's fields: blank values are left out (the server
 * names a required one that is missing), parameter values are sent as typed text (the server
 * types them against the declarations). */
export function testArgs(
  id: number,
  params: Record<string, string>,
  variables: Record<string, string>,
): ActionTestArgs {
  const p: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(params)) if (v.trim()) p[k] = v.trim();
  const vars: Record<string, string> = {};
  for (const [k, v] of Object.entries(variables)) if (v.trim()) vars[k] = v;
  return { id, params: p, variables: vars };
}

/** The sample values a test starts with: each parameter's example. */
export function sampleParams(params: ActionParameter[]): Record<string, string> {
  return Object.fromEntries(params.map((p) => [p.name, p.example ?? '']));
}

// ---------- the execution log ----------

export type LogFilters = {
  actionId: number | null;
  outcome: ActionOutcome | '';
  conversation: string;
  /** `YYYY-MM-DD`, this computer's days; both inclusive. */
  from: string;
  to: string;
};

export const noFilters = (): LogFilters => ({
  actionId: null,
  outcome: '',
  conversation: '',
  from: '',
  to: '',
});

/** The local midnight starting `YYYY-MM-DD` (plus `days`), as an instant. */
function localDay(date: string, days = 0): string | undefined {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(date);
  if (!m) return undefined;
  return new Date(+m[1], +m[2] - 1, +m[3] + days).toISOString();
}

/** A conversation number as typed ("#42", " 42 "), or null. */
export function conversationNumber(s: string): number | null {
  const m = /^\s*#?\s*(\d{1,15})\s*$/.exec(s);
  return m && +m[1] > 0 ? +m[1] : null;
}

export function logQuery(
  f: LogFilters,
  agentId: number | null,
  beforeId: number | null = null,
  limit = 50,
): ActionLogQuery {
  const q: ActionLogQuery = { limit };
  if (f.actionId !== null) q.action_id = f.actionId;
  else if (agentId !== null) q.agent_id = agentId;
  if (f.outcome) q.outcome = f.outcome;
  const c = conversationNumber(f.conversation);
  if (c !== null) q.conversation_id = c;
  const from = localDay(f.from);
  if (from) q.from = from;
  // "To" is the whole day: until the next midnight (exclusive).
  const to = localDay(f.to, 1);
  if (to) q.to = to;
  if (beforeId !== null) q.before_id = beforeId;
  return q;
}

/** The newest entry of each action in a newest-first page. */
export function lastRuns(entries: ActionLogEntry[]): Map<number, ActionLogEntry> {
  const out = new Map<number, ActionLogEntry>();
  for (const e of entries)
    if (e.action_id !== null && !out.has(e.action_id)) out.set(e.action_id, e);
  return out;
}

/** "1.2 s" above a second, "340 ms" below. */
export function formatMs(ms: number): string {
  return ms >= 1000 ? `${(ms / 1000).toFixed(ms >= 10_000 ? 0 : 1)} s` : `${ms} ms`;
}

/** "1 MiB", "64 KiB", "512 bytes". */
export function formatBytes(n: number): string {
  if (n >= 1024 * 1024 && n % (1024 * 1024) === 0) return `${n / (1024 * 1024)} MiB`;
  if (n >= 1024) return `${Math.round((n / 1024) * 10) / 10} KiB`;
  return `${n} bytes`;
}
