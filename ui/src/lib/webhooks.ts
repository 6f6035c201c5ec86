// Webhook endpoints in the editor: the draft the form edits, turning it into the `WebhookInput`
// the server takes (and back), the checks the UI makes before saving (the server checks
// everything again: src/webhooks/validate.rs, limits in docs/api.md), the events and delivery
// statuses in plain words, and when the delivery log should look again. Pure functions.
//
// Events and statuses are read as plain strings wherever they are shown: a value this build does
// not know (a newer server's `lead.updated`, say) is shown by its raw name, never a crash.

import type {
  Webhook,
  WebhookDelivery,
  WebhookDeliveryStatus,
  WebhookEvent,
  WebhookInput,
} from './bindings';
import { sentence } from './errors';
import { charCount } from './text';

export { hostOf } from './actions';

/** The server's limits (src/webhooks/validate.rs). */
export const LIMITS = {
  name: 64,
  description: 2000,
  url: 2000,
  successMessage: 1000,
  allow: 20,
  /** How long the previous secret keeps signing after a rotation. */
  rotationHours: 24,
  /** What an attempt keeps of the answer. */
  responseKiB: 2,
  timeoutSecs: 15,
} as const;

/** What the visitor is told when no success message is set (the server's default). */
export const DEFAULT_SUCCESS_MESSAGE = 'Thanks, your request has been sent to our team.';

type Described = { label: string; help: string };

/** The events an endpoint may subscribe to, in the order the form lists them (`short` for
 * lists). */
export const SUBSCRIBABLE: ({ value: WebhookEvent; short: string } & Described)[] = [
  {
    value: 'handoff.requested',
    short: 'Handoff requested',
    label: 'A conversation is handed to a person',
    help: 'By the AI agent, or by an operator from the inbox.',
  },
  {
    value: 'handoff.completed',
    short: 'Handoff taken',
    label: 'An operator takes a handed-off conversation',
    help: 'Taken from the queue of conversations waiting for a person.',
  },
  {
    value: 'conversation.assigned',
    short: 'Assigned',
    label: 'A conversation is assigned to an operator',
    help: 'By a colleague, by topic routing, or by an operator taking it.',
  },
  {
    value: 'conversation.resolved',
    short: 'Resolved',
    label: 'A conversation is resolved',
    help: 'An operator marked it resolved.',
  },
  {
    value: 'lead.created',
    short: 'Lead created',
    label: 'A visitor leaves their details',
    help: 'Once leads exist: subscribe now and the events come when Baton records leads.',
  },
];

const EVENT_LABEL: Record<string, string> = {
  ...Object.fromEntries(SUBSCRIBABLE.map((e) => [e.value, e.label])),
  'action.triggered': 'The AI agent triggered it',
  'webhook.test': 'The test event',
};
const EVENT_SHORT: Record<string, string> = {
  ...Object.fromEntries(SUBSCRIBABLE.map((e) => [e.value, e.short])),
  'action.triggered': 'Triggered by the agent',
  'webhook.test': 'Test',
};

/** An event in words; one this build does not know is shown by its name. */
export function eventLabel(event: string): string {
  return EVENT_LABEL[event] ?? event;
}

/** An event in a word or two, for lists; one this build does not know by its name. */
export function eventShort(event: string): string {
  return EVENT_SHORT[event] ?? event;
}

/** Whether an event is one the form offers as a checkbox. */
export function isSubscribable(event: string): boolean {
  return SUBSCRIBABLE.some((e) => e.value === event);
}

/** Delivery statuses in plain words, with what each means. */
export const STATUS: Record<WebhookDeliveryStatus, Described & { tone: string }> = {
  pending: { label: 'Waiting', help: 'Queued, not tried yet', tone: 'medium' },
  retrying: {
    label: 'Retrying',
    help: 'The last attempt failed; it is tried again by itself',
    tone: 'high',
  },
  sending: { label: 'Sending', help: 'An attempt is under way', tone: 'medium' },
  delivered: { label: 'Delivered', help: 'Your endpoint answered with a 2xx', tone: 'ok' },
  exhausted: {
    label: 'Gave up',
    help: 'Every attempt of the retry schedule failed (8 over about 28 hours)',
    tone: 'urgent',
  },
  failed: {
    label: 'Failed',
    help: 'Given up at once: the endpoint answered 410 Gone, was turned off or deleted, or its address is blocked',
    tone: 'urgent',
  },
};

/** A status in words; one this build does not know is shown by its name. */
export function statusOf(status: string): Described & { tone: string } {
  return (
    (STATUS as Record<string, Described & { tone: string }>)[status] ?? {
      label: status,
      help: status,
      tone: '',
    }
  );
}

/** A delivery that may be sent again (the others are under way and retried by themselves; a
 * test is never sent again: the test button sends a new one). */
export function redeliverable(d: WebhookDelivery): boolean {
  return !d.test && (d.status === 'delivered' || d.status === 'failed' || d.status === 'exhausted');
}

/** Whether a delivery is still moving (the log looks again by itself). */
export function underWay(d: WebhookDelivery): boolean {
  return d.status === 'pending' || d.status === 'retrying' || d.status === 'sending';
}

/** How long the delivery log waits before it looks again, in ms, or null when nothing is
 * under way: soon while one is sending or due, at its next attempt otherwise (at most 30 s,
 * so a redelivery made elsewhere shows too). */
export function nextLook(deliveries: WebhookDelivery[], now: Date): number | null {
  let wait: number | null = null;
  for (const d of deliveries) {
    if (!underWay(d)) continue;
    let ms = 1000;
    if (d.status !== 'sending' && d.next_attempt_at) {
      ms = new Date(d.next_attempt_at).getTime() - now.getTime() + 500;
    }
    ms = Math.min(30_000, Math.max(1000, ms));
    wait = wait === null ? ms : Math.min(wait, ms);
  }
  return wait;
}

/** The endpoint as the form edits it. */
export type WebhookDraft = {
  name: string;
  description: string;
  url: string;
  send_chat_summary: boolean;
  success_message: string;
  active: boolean;
  /** Subscribable ones in the form's order, then any the form does not offer, kept as they
   * were saved. */
  events: WebhookEvent[];
  allow: string[];
};

export function emptyDraft(): WebhookDraft {
  return {
    name: '',
    description: '',
    url: 'https://',
    send_chat_summary: false,
    success_message: '',
    active: true,
    events: [],
    allow: [],
  };
}

export function fromWebhook(w: Webhook): WebhookDraft {
  return {
    name: w.name,
    description: w.description,
    url: w.url,
    send_chat_summary: w.send_chat_summary,
    success_message: w.success_message,
    active: w.active,
    events: orderEvents(w.events),
    allow: [...w.allow],
  };
}

/** The form's order: subscribable events first as listed, then the others as they came. */
export function orderEvents(events: WebhookEvent[]): WebhookEvent[] {
  const known = SUBSCRIBABLE.map((e) => e.value).filter((e) => events.includes(e));
  const other = events.filter((e) => !isSubscribable(e));
  return [...known, ...other.filter((e, i) => other.indexOf(e) === i)];
}

/** The events with `event` ticked or not. */
export function withEvent(
  events: WebhookEvent[],
  event: WebhookEvent,
  on: boolean,
): WebhookEvent[] {
  const rest = events.filter((e) => e !== event);
  return orderEvents(on ? [...rest, event] : rest);
}

/** The document `webhook_create` / `webhook_update` take (a save replaces every field). */
export function toInput(d: WebhookDraft, agentId: number | null): WebhookInput {
  const input: WebhookInput = {
    name: d.name.trim(),
    description: d.description.trim(),
    url: d.url.trim(),
    send_chat_summary: d.send_chat_summary,
    success_message: d.success_message.trim(),
    active: d.active,
    events: [...d.events],
    allow: d.allow.map((a) => a.trim()),
  };
  if (agentId !== null) input.agent_id = agentId;
  return input;
}

/** An endpoint saved as it is with one change (the list's Active switch). */
export function inputOf(w: Webhook, changes: Partial<WebhookInput> = {}): WebhookInput {
  return { ...toInput(fromWebhook(w), w.agent_id), events: [...w.events], ...changes };
}

function tooLong(s: string, max: number): string | null {
  const n = charCount(s);
  return n > max ? `Use at most ${max} characters (this has ${n})` : null;
}

/** Every problem the UI can see in a draft, by the server's field path. */
export function checkDraft(d: WebhookDraft): Record<string, string> {
  const out: Record<string, string> = {};
  const put = (path: string, msg: string | null) => {
    if (msg && !(path in out)) out[path] = msg;
  };

  const name = d.name.trim();
  if (!name) put('name', 'Enter a name, like create_support_ticket');
  else if (!/^[a-z][a-z0-9_]*$/.test(name))
    put('name', 'Use lower-case letters, digits and _ only, starting with a letter');
  put('name', tooLong(name, LIMITS.name));
  put('description', tooLong(d.description.trim(), LIMITS.description));

  const url = d.url.trim();
  if (!url || /^https?:\/\/$/i.test(url)) put('url', 'Enter the address to send events to');
  else if (!/^https?:\/\/[^/?#\s]+/i.test(url))
    put(
      'url',
      'Start with https:// (or http://) and the server’s name, like https://crm.example.com/…',
    );
  else if (/^https?:\/\/[^/?#]*@/i.test(url))
    put('url', 'Put no user name or password in the address: your endpoint checks the signature');
  else if (url.includes('#')) put('url', 'An address to call has no #fragment');
  put('url', tooLong(url, LIMITS.url));

  put('success_message', tooLong(d.success_message.trim(), LIMITS.successMessage));
  if (d.allow.length > LIMITS.allow) put('allow', `At most ${LIMITS.allow} entries are allowed`);
  return out;
}

/** An attempt's time to the second ("14:05:09"; the date is the delivery's), in the user's
 * locale: the retries of one delivery are seconds apart. */
export function formatAttemptTime(d: Date, locale: string | undefined = undefined): string {
  return new Intl.DateTimeFormat(locale, {
    hour: '2-digit',
    minute: '2-digit',
    second: '2-digit',
  }).format(d);
}

/** An attempt's error worth its own line: not the bare "answered 500" its status says. */
export function attemptError(error: string | null, statusCode: number | null): string | null {
  if (!error) return null;
  if (statusCode !== null && error.trim().toLowerCase() === `answered ${statusCode}`) return null;
  return error;
}

/** Why a send failed, in plain words, from the server's error (which names the host, never
 * the URL); `detail` keeps the technical cause when the words leave it out. */
export function plainSendError(error: string): { text: string; detail: string | null } {
  const e = error.trim();
  let m = /^could not reach (\S+?): (.*)$/is.exec(e);
  if (m) {
    const [, host, detail] = m;
    const why = /connection refused/i.test(detail)
      ? 'nothing accepted the connection (is the server running, on that port?)'
      : /certificate|tls|ssl|handshake/i.test(detail)
        ? 'its secure connection (TLS certificate) was not accepted'
        : /reset|closed|broken pipe|eof/i.test(detail)
          ? 'the connection was closed before it answered'
          : /unreachable|no route/i.test(detail)
            ? 'there is no network route to it'
            : null;
    return why
      ? { text: `Could not reach ${host}: ${why}.`, detail }
      : { text: `Could not reach ${host}.`, detail };
  }
  m = /^could not resolve (.+)$/i.exec(e);
  if (m) return { text: `${m[1]} was not found: check the address’s server name.`, detail: null };
  if (/^no answer in time$/i.test(e))
    return { text: `No answer within ${LIMITS.timeoutSecs} s.`, detail: null };
  m = /^blocked: (\S+) is not allowed: (\S+) is an? (.+) address$/i.exec(e);
  if (m)
    return {
      text: `Blocked, nothing was sent: ${m[1]} is a ${m[3]} address (${m[2]}). Add it to the allow-list if this webhook is meant to call it.`,
      detail: null,
    };
  return { text: sentence(e), detail: null };
}
