import { describe, expect, it } from 'vitest';
import type { Action, ActionLogEntry } from '../lib/bindings';
import {
  checkDraft,
  checkJsonBody,
  conversationNumber,
  emptyDraft,
  fillBody,
  formatBytes,
  formatMs,
  fromAction,
  hostOf,
  inputOf,
  jsonProblem,
  lastRuns,
  logQuery,
  noFilters,
  paramsUsed,
  pathHasParam,
  templateVariables,
  testArgs,
  toAuthInput,
  toInput,
  type ActionDraft,
} from '../lib/actions';

function action(over: Partial<Action> = {}): Action {
  return {
    id: 7,
    agent_id: 2,
    type: 'http',
    name: 'get_order_status',
    description: 'Looks up an order',
    when_not_to_use: '',
    examples: ['where is my order?'],
    active: true,
    method: 'GET',
    url: 'https://api.shop.example/orders/{{params.order_id}}',
    headers: [{ name: 'X-Shop', value: '{{conversation.channel}}' }],
    body: null,
    parameters: [
      {
        name: 'order_id',
        location: 'path',
        type: 'string',
        values: [],
        description: 'The order number',
        required: true,
        example: '4521',
      },
    ],
    auth: { kind: 'bearer', username: null, key_location: null, key_name: null, has_secret: true },
    timeout_ms: 10_000,
    max_response_bytes: 1_048_576,
    reply_template: 'Order {{params.order_id}}: {{response.status}}',
    failure_message: 'Sorry.',
    on_failure: 'say',
    allow: [],
    variables: ['conversation.channel'],
    form: null,
    button: null,
    created_at: '2026-01-01T00:00:00Z',
    updated_at: '2026-01-01T00:00:00Z',
    ...over,
  };
}

function draft(over: Partial<ActionDraft> = {}): ActionDraft {
  return { ...emptyDraft(), name: 'get_order', url: 'https://api.shop.example/orders', ...over };
}

describe('the draft and ActionInput', () => {
  it('round-trips a saved action, keeping the secret unless one is typed', () => {
    const a = action();
    const input = toInput(fromAction(a), a.agent_id);
    expect(input).toEqual({
      type: 'http',
      agent_id: 2,
      name: 'get_order_status',
      description: 'Looks up an order',
      when_not_to_use: '',
      examples: ['where is my order?'],
      active: true,
      method: 'GET',
      url: 'https://api.shop.example/orders/{{params.order_id}}',
      headers: [{ name: 'X-Shop', value: '{{conversation.channel}}' }],
      body: null,
      parameters: a.parameters,
      auth: { kind: 'bearer', username: null, key_location: null, key_name: null, secret: null },
      timeout_ms: 10_000,
      max_response_bytes: 1_048_576,
      reply_template: 'Order {{params.order_id}}: {{response.status}}',
      failure_message: 'Sorry.',
      on_failure: 'say',
      allow: [],
    });
  });

  it('keeps a response cap that is not a whole number of KiB', () => {
    const a = action({ max_response_bytes: 1500 });
    expect(toInput(fromAction(a), 2).max_response_bytes).toBe(1500);
  });

  it('sends blanks as null, no body for GET, enum values only for enums, paths required', () => {
    const d = draft({
      body: '{"a": 1}',
      reply_template: '  ',
      failure_message: '',
      timeout_ms: null,
      max_response_kib: 64,
      parameters: [
        {
          name: ' kind ',
          location: 'query',
          type: 'string',
          values: ['left', 'over'],
          description: '',
          required: false,
          example: ' ',
        },
        {
          name: 'id',
          location: 'path',
          type: 'enum',
          values: [' a ', 'b'],
          description: '',
          required: false,
          example: 'a',
        },
      ],
    });
    const input = toInput(d, null);
    expect(input.body).toBeNull();
    expect(input.reply_template).toBeNull();
    expect(input.failure_message).toBeNull();
    expect(input.timeout_ms).toBeNull();
    expect(input.max_response_bytes).toBe(65_536);
    expect(input.parameters[0]).toMatchObject({ name: 'kind', values: [], example: null });
    expect(input.parameters[1]).toMatchObject({ values: ['a', 'b'], required: true });
    expect(toInput({ ...d, method: 'POST' }, null).body).toBe('{"a": 1}');
  });

  it('keeps lists whole, so the server’s indices point at the same rows', () => {
    const d = draft({
      headers: [
        { name: '', value: '' },
        { name: 'X-A', value: '1' },
      ],
    });
    expect(toInput(d, null).headers).toHaveLength(2);
  });

  it('writes the secret: typed replaces, Remove clears, nothing keeps', () => {
    const base = emptyDraft().auth;
    expect(toAuthInput({ ...base, kind: 'bearer', secret: 's3cret' }).secret).toBe('s3cret');
    expect(toAuthInput({ ...base, kind: 'bearer', clear: true }).secret).toBe('');
    expect(toAuthInput({ ...base, kind: 'bearer' }).secret).toBeNull();
    expect(toAuthInput({ ...base, kind: 'none', secret: 'x' }).secret).toBeNull();
    expect(
      toAuthInput({ ...base, kind: 'api_key', key_location: 'query', key_name: ' key ' }),
    ).toEqual({
      kind: 'api_key',
      username: null,
      key_location: 'query',
      key_name: 'key',
      secret: null,
    });
    expect(toAuthInput({ ...base, kind: 'basic', username: ' ann ' }).username).toBe('ann');
  });

  it('saves one change of a stored action with its auth kept', () => {
    const input = inputOf(action(), { active: false });
    expect(input.active).toBe(false);
    expect(input.auth).toBeNull();
    expect(input.name).toBe('get_order_status');
  });
});

describe('templates', () => {
  it('lists variables, leaving out escaped braces', () => {
    expect(templateVariables('a {{ params.id }} \\{{x}} \\\\{{lead.email}}')).toEqual([
      'params.id',
      'lead.email',
    ]);
  });

  it('finds the parameters templates use, and whether one is in the path', () => {
    const d = draft({
      method: 'POST',
      url: 'https://x.example/o/{{params.id}}?q={{params.q}}',
      headers: [{ name: 'X-H', value: '{{params.h}}' }],
      body: '{"b": {{params.b}}}',
      reply_template: '{{params.r}} {{response.x}}',
    });
    expect([...paramsUsed(d)].sort()).toEqual(['b', 'h', 'id', 'q', 'r']);
    expect(paramsUsed({ ...d, method: 'GET' }).has('b')).toBe(false);
    expect(pathHasParam(d.url, 'id')).toBe(true);
    expect(pathHasParam(d.url, 'q')).toBe(false);
  });

  it('reads the host of a URL template', () => {
    expect(hostOf('https://API.shop.example:8443/orders/{{params.id}}')).toBe(
      'api.shop.example:8443',
    );
    expect(hostOf('http://user@127.0.0.1:9/x')).toBe('127.0.0.1:9');
    expect(hostOf('not a url')).toBe('');
  });
});

describe('the JSON body check', () => {
  it('accepts JSON with variables inside strings and as whole values', () => {
    expect(
      checkJsonBody('{"order": "{{params.id}}", "qty": {{params.qty}}, "n": [1, true, null]}'),
    ).toBeNull();
    expect(checkJsonBody('')).toBeNull();
  });

  it('fills variables as the server does: x inside a string, "x" outside', () => {
    const f = fillBody('{"a": "id-{{params.id}}", "b": {{ params.b }}}');
    expect('text' in f && f.text).toBe('{"a": "id-x", "b": "x"}');
  });

  it('treats \\{{ as literal braces', () => {
    const f = fillBody('{"a": "\\{{not a variable}}"}');
    expect('text' in f && f.text).toBe('{"a": "{{not a variable}}"}');
    // An escaped backslash before a variable: the variable stays.
    const g = fillBody('{"a": "C:\\\\{{params.dir}}"}');
    expect('text' in g && g.text).toBe('{"a": "C:\\\\x"}');
    expect(checkJsonBody('{"a": "C:\\\\{{params.dir}}"}')).toBeNull();
  });

  it('says where JSON is wrong, in the template’s own lines', () => {
    expect(checkJsonBody('{\n  "a": {{params.a}}\n  "b": 2\n}')).toBe(
      'Not valid JSON at line 3, column 3: expected , or } after the value',
    );
    expect(checkJsonBody("{'a': 1}")).toBe(
      'Not valid JSON at line 1, column 2: expected a key in double quotes',
    );
    expect(checkJsonBody('{"a": 1,}')).toMatch(/^Not valid JSON at line 1, column 9: /);
    expect(checkJsonBody('{"a": "{{params.a}"}')).toBe(
      'Not valid JSON at line 1, column 8: a {{ is not closed with }}',
    );
    expect(checkJsonBody('{"a": 1} x')).toMatch(/more after the end/);
  });

  it('wants an object when body parameters are added as keys', () => {
    expect(checkJsonBody('[1, 2]', { object: true })).toMatch(/must be a JSON object/);
    expect(checkJsonBody('{"a": 1}', { object: true })).toBeNull();
  });

  it('is a strict JSON checker', () => {
    for (const ok of ['1', '-0.5e3', '"\\u00e9"', '[]', '{}', ' {"a":[{"b":null}]} '])
      expect(jsonProblem(ok), ok).toBeNull();
    for (const bad of ['', '01', '1.', '"a', '"\\x"', '[1,]', 'tru', '"a\nb"', 'NaN'])
      expect(jsonProblem(bad), bad).not.toBeNull();
  });
});

describe('checks before saving', () => {
  it('marks every invalid field at the server’s path', () => {
    const errors = checkDraft(
      draft({
        name: 'Get Order',
        method: 'POST',
        url: 'ftp://x',
        headers: [
          { name: 'Authorization', value: 'Bearer x' },
          { name: '', value: '' },
        ],
        body: '{"a": }',
        parameters: [
          { ...paramBase(), name: 'id', location: 'path' },
          { ...paramBase(), name: 'kind', type: 'enum', values: [] },
          { ...paramBase(), name: 'q', required: false },
        ],
        reply_template: '{{params.q}}',
        auth: { ...emptyDraft().auth, kind: 'bearer' },
        timeout_ms: 50,
        max_response_kib: 0,
      }),
    );
    expect(Object.keys(errors).sort()).toEqual([
      'auth.secret',
      'body',
      'headers[0].name',
      'headers[1].name',
      'max_response_bytes',
      'name',
      'parameters[0].location',
      'parameters[1].values',
      'parameters[2].required',
      'timeout_ms',
      'url',
    ]);
    expect(errors['auth.secret']).toBe('Enter the token');
  });

  it('accepts a stored secret, and a valid action', () => {
    const d = fromAction(action());
    expect(checkDraft(d, true)).toEqual({});
    expect(checkDraft(d, false)).toEqual({ 'auth.secret': 'Enter the token' });
    expect(checkDraft({ ...d, auth: { ...d.auth, clear: true } }, true)).toHaveProperty(
      'auth.secret',
    );
  });

  it('refuses a body parameter on GET and duplicate names', () => {
    const errors = checkDraft(
      draft({
        parameters: [
          { ...paramBase(), name: 'a', location: 'body' },
          { ...paramBase(), name: 'A' },
        ],
      }),
    );
    expect(errors['parameters[0].location']).toMatch(/GET request has no body/);
    expect(errors['parameters[1].name']).toMatch(/already named/);
  });
});

function paramBase() {
  return {
    name: '',
    location: 'query' as const,
    type: 'string' as const,
    values: [],
    description: '',
    required: true,
    example: '',
  };
}

describe('test arguments', () => {
  it('leaves out blanks and sends values as typed text', () => {
    expect(testArgs(3, { id: ' 4521 ', empty: '  ' }, { 'lead.email': 'a@b.c', x: '' })).toEqual({
      id: 3,
      params: { id: '4521' },
      variables: { 'lead.email': 'a@b.c' },
    });
  });
});

describe('the execution log', () => {
  it('builds the query from the filters, days in this computer’s zone', () => {
    expect(logQuery(noFilters(), 2)).toEqual({ limit: 50, agent_id: 2 });
    const q = logQuery(
      {
        actionId: 7,
        outcome: 'timeout',
        conversation: ' #42 ',
        from: '2026-03-01',
        to: '2026-03-02',
      },
      2,
      99,
      20,
    );
    expect(q).toEqual({
      limit: 20,
      action_id: 7,
      outcome: 'timeout',
      conversation_id: 42,
      from: new Date(2026, 2, 1).toISOString(),
      to: new Date(2026, 2, 3).toISOString(),
      before_id: 99,
    });
  });

  it('reads a conversation number as typed', () => {
    expect(conversationNumber('42')).toBe(42);
    expect(conversationNumber('# 7')).toBe(7);
    expect(conversationNumber('0')).toBeNull();
    expect(conversationNumber('abc')).toBeNull();
  });

  it('picks each action’s newest run', () => {
    const e = (id: number, action_id: number | null) => ({ id, action_id }) as ActionLogEntry;
    const m = lastRuns([e(9, 1), e(8, 2), e(7, 1), e(6, null)]);
    expect(m.get(1)?.id).toBe(9);
    expect(m.get(2)?.id).toBe(8);
    expect(m.size).toBe(2);
  });

  it('formats durations and sizes', () => {
    expect(formatMs(37)).toBe('37 ms');
    expect(formatMs(1234)).toBe('1.2 s');
    expect(formatMs(12_345)).toBe('12 s');
    expect(formatBytes(1_048_576)).toBe('1 MiB');
    expect(formatBytes(1536)).toBe('1.5 KiB');
    expect(formatBytes(12)).toBe('12 bytes');
  });
});
