import { describe, expect, it } from 'vitest';
import type { Webhook, WebhookDelivery, WebhookEvent } from '../lib/bindings';
import {
  attemptError,
  checkDraft,
  emptyDraft,
  eventLabel,
  eventShort,
  fromWebhook,
  inputOf,
  nextLook,
  orderEvents,
  plainSendError,
  redeliverable,
  statusOf,
  toInput,
  withEvent,
} from '../lib/webhooks';

function webhook(over: Partial<Webhook> = {}): Webhook {
  return {
    id: 3,
    agent_id: 2,
    name: 'crm_sync',
    description: 'When a visitor wants a ticket',
    url: 'https://crm.example.com/hooks/baton',
    send_chat_summary: true,
    success_message: 'Thanks!',
    active: true,
    events: ['conversation.resolved', 'handoff.requested'],
    allow: [],
    previous_secret_expires_at: null,
    disabled_reason: null,
    created_at: '2025-05-01T10:00:00Z',
    updated_at: '2025-05-01T10:00:00Z',
    ...over,
  };
}

function delivery(over: Partial<WebhookDelivery> = {}): WebhookDelivery {
  return {
    id: 1,
    webhook_id: 3,
    test: false,
    event: 'handoff.requested',
    message_id: 'msg_1',
    conversation_id: 42,
    status: 'delivered',
    next_attempt_at: null,
    last_error: null,
    created_at: '2025-05-01T10:00:00Z',
    finished_at: '2025-05-01T10:00:01Z',
    body: '{}',
    attempts: [],
    ...over,
  };
}

describe('webhook drafts', () => {
  it('round-trips an endpoint, events in the form’s order', () => {
    const d = fromWebhook(webhook());
    expect(d.events).toEqual(['handoff.requested', 'conversation.resolved']);
    expect(toInput(d, 2)).toEqual({
      agent_id: 2,
      name: 'crm_sync',
      description: 'When a visitor wants a ticket',
      url: 'https://crm.example.com/hooks/baton',
      send_chat_summary: true,
      success_message: 'Thanks!',
      active: true,
      events: ['handoff.requested', 'conversation.resolved'],
      allow: [],
    });
    expect(toInput(emptyDraft(), null)).not.toHaveProperty('agent_id');
  });

  it('keeps events it does not know, after the known ones', () => {
    const unknown = 'lead.updated' as WebhookEvent;
    expect(orderEvents([unknown, 'lead.created', unknown, 'handoff.requested'])).toEqual([
      'handoff.requested',
      'lead.created',
      unknown,
    ]);
    expect(withEvent([unknown], 'handoff.completed', true)).toEqual(['handoff.completed', unknown]);
    expect(withEvent(['handoff.completed', unknown], 'handoff.completed', false)).toEqual([
      unknown,
    ]);
    expect(inputOf(webhook({ events: [unknown] }), { active: false })).toMatchObject({
      events: [unknown],
      active: false,
    });
  });

  it('names events and statuses in words, unknown ones by their name', () => {
    expect(eventLabel('handoff.requested')).toBe('A conversation is handed to a person');
    expect(eventShort('conversation.resolved')).toBe('Resolved');
    expect(eventLabel('action.triggered')).toBe('The AI agent triggered it');
    expect(eventShort('webhook.test')).toBe('Test');
    expect(eventLabel('lead.updated')).toBe('lead.updated');
    expect(eventShort('lead.updated')).toBe('lead.updated');
    expect(statusOf('exhausted').label).toBe('Gave up');
    expect(statusOf('parked')).toEqual({ label: 'parked', help: 'parked', tone: '' });
  });

  it('checks what the server would refuse', () => {
    const d = {
      ...emptyDraft(),
      name: 'Crm Sync',
      url: 'https://',
      success_message: 'x'.repeat(1001),
    };
    expect(Object.keys(checkDraft(d))).toEqual(['name', 'url', 'success_message']);
    expect(
      checkDraft({ ...d, name: 'crm', url: 'https://u:p@crm.example.com/x', success_message: '' }),
    ).toEqual({ url: expect.stringMatching(/no user name or password/) });
    expect(
      checkDraft({ ...d, name: 'crm', url: 'crm.example.com', success_message: '' }).url,
    ).toMatch(/Start with https:\/\//);
    expect(
      checkDraft({ ...d, name: 'crm', url: 'http://127.0.0.1:9/x#y', success_message: '' }).url,
    ).toMatch(/fragment/);
    expect(
      checkDraft({ ...d, name: 'crm', url: 'http://127.0.0.1:9/x', success_message: '' }),
    ).toEqual({});
  });
});

describe('the delivery log', () => {
  const now = new Date('2025-05-01T10:00:00Z');
  it('sends again only what is finished', () => {
    expect(redeliverable(delivery())).toBe(true);
    expect(redeliverable(delivery({ status: 'exhausted' }))).toBe(true);
    expect(redeliverable(delivery({ status: 'retrying' }))).toBe(false);
    expect(redeliverable(delivery({ status: 'sending' }))).toBe(false);
    // A test is never sent again, even when it failed.
    expect(redeliverable(delivery({ test: true, status: 'failed' }))).toBe(false);
  });

  it('leaves out an error its status already says', () => {
    expect(attemptError('answered 500', 500)).toBeNull();
    expect(attemptError('no answer within 15 s', null)).toBe('no answer within 15 s');
    expect(attemptError('answered 500', null)).toBe('answered 500');
    expect(attemptError(null, 200)).toBeNull();
  });

  it('looks again when something under way is due', () => {
    expect(nextLook([delivery()], now)).toBeNull();
    expect(nextLook([delivery({ status: 'sending' })], now)).toBe(1000);
    const in5s = delivery({ status: 'retrying', next_attempt_at: '2025-05-01T10:00:05Z' });
    expect(nextLook([in5s], now)).toBe(5500);
    const in5min = delivery({ status: 'retrying', next_attempt_at: '2025-05-01T10:05:00Z' });
    expect(nextLook([in5min, in5s], now)).toBe(5500);
    expect(nextLook([in5min], now)).toBe(30_000);
    const overdue = delivery({ status: 'pending', next_attempt_at: '2025-05-01T09:59:00Z' });
    expect(nextLook([overdue], now)).toBe(1000);
  });
});

describe('send errors in plain words', () => {
  it('words what the server says, keeping the technical cause', () => {
    expect(
      plainSendError(
        'could not reach 127.0.0.1:9: error sending request: client error (Connect): tcp connect error: Connection refused (os error 111)',
      ),
    ).toEqual({
      text: 'Could not reach 127.0.0.1:9: nothing accepted the connection (is the server running, on that port?).',
      detail:
        'error sending request: client error (Connect): tcp connect error: Connection refused (os error 111)',
    });
    expect(plainSendError('could not resolve crm.example.invalid').text).toBe(
      'crm.example.invalid was not found: check the address’s server name.',
    );
    expect(plainSendError('no answer in time').text).toBe('No answer within 15 s.');
    expect(
      plainSendError('blocked: 10.0.0.5 is not allowed: 10.0.0.5 is a private address').text,
    ).toMatch(/^Blocked, nothing was sent: 10\.0\.0\.5 is a private address/);
    expect(plainSendError('answered 302 (a redirect): redirects are not followed')).toEqual({
      text: 'Answered 302 (a redirect): redirects are not followed.',
      detail: null,
    });
  });
});
