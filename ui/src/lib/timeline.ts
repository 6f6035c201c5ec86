// A conversation's thread as an operator reads it: messages and the history of who did what
// (the server's timeline), in one list; and the decision records in plain words.

import type { DecisionRecord, Message, TimelineEvent } from './bindings';

/** "Ben took it over from Anna", "Handed off: the visitor asked for a person". */
export function timelineText(e: TimelineEvent): string {
  const who = e.actor_name ?? (e.actor_id === null ? null : 'An operator');
  const to = e.operator_name ?? 'an operator';
  const from = e.from_operator_name;
  switch (e.kind) {
    case 'handed_off':
      return `${who ? `${who} handed it off` : 'Handed off'}${e.text ? `: ${e.text}` : ''}`;
    case 'routed':
      return `Routed to ${e.routing_profile_name ?? 'a routing profile'}`;
    case 'assigned':
      return who
        ? `${who} assigned it to ${to}${from ? ` (from ${from})` : ''}`
        : `Assigned to ${to} automatically`;
    case 'taken_over':
      return `${to} took it over${from ? ` from ${from}` : ''}`;
    case 'unassigned':
      return `${who ?? 'Someone'} put it back in the queue${from ? ` (was ${from})` : ''}`;
    case 'handed_back':
      return `${who ?? 'An operator'} handed it back to the AI agent${e.text ? ' with an instruction' : ''}`;
    case 'resolved':
      return `${who ? `${who} resolved it` : 'Resolved'}`;
    case 'reopened':
      return `${who ? `${who} reopened it` : 'Reopened'}`;
    case 'follow_up':
      return `Asked for a person outside working hours: marked for follow-up${e.text ? ` (${e.text})` : ''}`;
    case 'contact_left':
      return `The visitor left a contact for the follow-up: ${e.text ?? ''}`;
    case 'contact_form':
      return `The visitor submitted the contact form: ${e.text ?? ''}`;
    case 'detail_gathered':
      return `Lead details: ${e.text ?? ''}`;
    case 'ended_by_visitor':
      return 'The visitor ended the chat';
    case 'button_clicked':
      return `The visitor clicked ${e.text ?? 'a button'}`;
    case 'channel_chosen':
      return `The visitor chose to reach the team by ${e.text ?? 'a channel'}`;
    case 'form_submitted':
      return `The visitor sent the form ${e.text ?? ''}`;
  }
}

export type ThreadEntry =
  | { kind: 'message'; at: string; message: Message }
  | { kind: 'event'; at: string; event: TimelineEvent };

/** Messages and timeline events, oldest first (an event written with a message follows it). */
export function thread(messages: Message[], timeline: TimelineEvent[]): ThreadEntry[] {
  const out: ThreadEntry[] = [
    ...messages.map((m) => ({ kind: 'message' as const, at: m.created_at, message: m })),
    ...timeline.map((e) => ({ kind: 'event' as const, at: e.created_at, event: e })),
  ];
  // Stable sort: within one instant, messages (listed first) stay before events.
  return out
    .map((e, i) => ({ e, i, t: Date.parse(e.at) }))
    .sort((a, b) => a.t - b.t || a.i - b.i)
    .map((x) => x.e);
}

/** The latest handoff of the timeline (for "Why this was handed off"). */
export function latestHandoff(timeline: TimelineEvent[]): {
  handoff: TimelineEvent | null;
  routed: TimelineEvent | null;
} {
  for (let i = timeline.length - 1; i >= 0; i--) {
    if (timeline[i].kind === 'handed_back') break;
    if (timeline[i].kind === 'handed_off') {
      const routed = timeline.slice(i + 1).find((e) => e.kind === 'routed') ?? null;
      return { handoff: timeline[i], routed };
    }
  }
  return { handoff: null, routed: null };
}

/** "builtin" → "Built-in engine"; "openai:gpt-4o-mini" → "Model gpt-4o-mini";
 * "builtin (fallback: timeout)" → "Built-in engine (the model timed out)". */
export function engineLabel(engine: string): string {
  const fallback = /^builtin \(fallback: (.+)\)$/.exec(engine);
  if (fallback) {
    const why = fallback[1];
    const said = why === 'timeout' ? 'the model timed out' : `the model failed: ${why}`;
    return `Built-in engine (${said})`;
  }
  if (engine === 'builtin') return 'Built-in engine';
  if (engine === 'rules') return 'Rules';
  if (engine.startsWith('openai:')) return `Model ${engine.slice('openai:'.length)}`;
  return engine;
}

/** At most `max` characters of `text`, cut at a word boundary, with "…" when cut. */
export function clipWords(text: string, max: number): string {
  const t = text.trim().replace(/\s+/g, ' ');
  if (t.length <= max) return t;
  const cut = t.slice(0, max + 1);
  const space = cut.lastIndexOf(' ');
  return `${(space > max / 2 ? cut.slice(0, space) : t.slice(0, max)).replace(/[\s,.;:]+$/, '')}…`;
}

export type DecisionGroup = {
  /** What the records are about, in words: the visitor's message (clipped), or "Conversation". */
  title: string;
  engine: string;
  records: DecisionRecord[];
  /** How many messages in a row this group stands for (repeated "with a person" records). */
  repeats: number;
};

/** Decision records per message, newest first, titled by the message's own words; runs of
 * messages that only say "with a person · silent" collapse into one group. */
export function decisionGroups(ds: DecisionRecord[], messages: Message[]): DecisionGroup[] {
  const text = new Map(messages.map((m) => [m.id, m.text]));
  const byMessage = new Map<number | null, DecisionRecord[]>();
  for (const d of ds) {
    if (!byMessage.has(d.message_id)) byMessage.set(d.message_id, []);
    byMessage.get(d.message_id)!.push(d);
  }
  const groups: DecisionGroup[] = [];
  for (const [mid, records] of [...byMessage.entries()].reverse()) {
    const silent = records.length === 1 && records[0].step === 'with_person';
    const last = groups[groups.length - 1];
    if (silent && last && last.records.length === 1 && last.records[0].step === 'with_person') {
      last.repeats += 1;
      continue;
    }
    const said = mid === null ? undefined : text.get(mid);
    groups.push({
      title: said ? `“${clipWords(said, 60)}”` : mid === null ? 'Conversation' : 'A message',
      engine: engineLabel(records.find((r) => r.engine !== 'rules')?.engine ?? records[0].engine),
      records,
      repeats: 1,
    });
  }
  return groups;
}

/** The outcomes of the `action` step in words: a run's result, or asking for a value. */
const ACTION_OUTCOME: Record<string, string> = {
  success: 'success',
  http_error: 'failed',
  timeout: 'timed out',
  blocked: 'blocked',
  invalid_response: 'unusable answer',
  not_sent: 'not sent',
  skipped: 'skipped',
  asking: 'asked the visitor',
  gave_up: 'gave up asking',
};

/** An outcome in words ("not_found" → "not found", "Refund requests" stays; an action's
 * "http_error" → "failed", "asking" → "asked the visitor"). */
export function outcomeLabel(outcome: string, step?: string): string {
  if (step === 'action' && ACTION_OUTCOME[outcome]) return ACTION_OUTCOME[outcome];
  return outcome.replaceAll('_', ' ');
}
