// Form and button actions in the editor: what is sent for each type, and the UI's checks.
import { describe, expect, it } from 'vitest';
import { checkDraft, emptyDraft, fromAction, toInput } from '../lib/actions';
import type { Action } from '../lib/bindings';

describe('a form action draft', () => {
  it('sends the form and none of the request', () => {
    const d = emptyDraft();
    d.type = 'form';
    d.name = 'return_request';
    d.form.title = ' Return request ';
    d.form.fields.push({
      name: 'reason',
      label: 'Reason',
      type: 'select',
      required: true,
      placeholder: '',
      options: [' Damaged ', 'Wrong size'],
    });
    d.form.run_action = 'create_return';
    const input = toInput(d, 3);
    expect(input.type).toBe('form');
    expect(input.method).toBeUndefined();
    expect(input.url).toBeUndefined();
    expect(input.button).toBeUndefined();
    expect(input.form?.title).toBe('Return request');
    expect(input.form?.fields.map((f) => [f.name, f.type])).toEqual([
      ['email', 'email'],
      ['reason', 'select'],
    ]);
    expect(input.form?.fields[1].options).toEqual(['Damaged', 'Wrong size']);
    expect(input.form?.run_action).toBe('create_return');
    expect(checkDraft(d)).toEqual({});
  });

  it('is checked by the server’s paths', () => {
    const d = emptyDraft();
    d.type = 'form';
    d.name = 'x';
    d.form.fields.push({ ...d.form.fields[0] });
    d.form.fields.push({
      name: '9lives',
      label: '',
      type: 'select',
      required: false,
      placeholder: '',
      options: [],
    });
    d.form.success_message = ' ';
    expect(Object.keys(checkDraft(d))).toEqual([
      'form.title',
      'form.fields[1].name',
      'form.fields[2].name',
      'form.fields[2].label',
      'form.fields[2].options',
      'form.success_message',
    ]);
  });
});

describe('a button action draft', () => {
  it('sends a link or an action, and round-trips', () => {
    const d = emptyDraft();
    d.type = 'button';
    d.name = 'book_call';
    d.button.label = 'Book a call';
    d.button.url = 'https://example.com/call';
    d.button.message = 'Pick a time:';
    expect(toInput(d, null).button).toEqual({
      message: 'Pick a time:',
      label: 'Book a call',
      moment: 'matched',
      url: 'https://example.com/call',
      run_action: null,
    });
    d.button.does = 'action';
    d.button.moment = 'after_first_answer';
    expect(checkDraft(d)).toEqual({ 'button.run_action': 'Pick the HTTP action to run' });
    d.button.run_action = 'refund_state';
    const sent = toInput(d, null).button;
    // Under the first answer it says nothing of its own.
    expect(sent).toMatchObject({ message: '', url: null, run_action: 'refund_state' });
    const saved: Action = {
      id: 1,
      agent_id: 1,
      type: 'button',
      name: 'book_call',
      description: '',
      when_not_to_use: '',
      examples: [],
      active: true,
      method: 'GET',
      url: '',
      headers: [],
      body: null,
      parameters: [],
      auth: { kind: 'none', username: null, key_location: null, key_name: null, has_secret: false },
      timeout_ms: 10_000,
      max_response_bytes: 1_048_576,
      reply_template: null,
      failure_message: '',
      on_failure: 'say',
      allow: [],
      variables: [],
      form: null,
      button: sent ?? null,
      created_at: '2026-12-01T00:00:00Z',
      updated_at: '2026-12-01T00:00:00Z',
    };
    const back = fromAction(saved);
    expect(back.type).toBe('button');
    expect(back.button.does).toBe('action');
    expect(back.button.run_action).toBe('refund_state');
  });
});
