import { describe, expect, it } from 'vitest';
import type { DecisionRecord, Message, TimelineEvent } from '../lib/bindings';
import {
  clipWords,
  decisionGroups,
  engineLabel,
  latestHandoff,
  outcomeLabel,
  thread,
  timelineText,
} from '../lib/timeline';

function ev(kind: TimelineEvent['kind'], more: Partial<TimelineEvent> = {}): TimelineEvent {
  return {
    id: 1,
    kind,
    actor_id: null,
    actor_name: null,
    operator_id: null,
    operator_name: null,
    from_operator_id: null,
    from_operator_name: null,
    routing_profile_id: null,
    routing_profile_name: null,
    text: null,
    created_at: '2026-12-01T10:00:00Z',
    ...more,
  };
}

function msg(id: number, text: string, at = '2026-12-01T10:00:00Z'): Message {
  return {
    id,
    conversation_id: 1,
    author: 'visitor',
    operator_id: null,
    operator_name: null,
    text,
    attachments: [],
    internal: false,
    created_at: at,
  };
}

function rec(
  id: number,
  message_id: number | null,
  step: string,
  engine = 'rules',
): DecisionRecord {
  return {
    id,
    conversation_id: 1,
    message_id,
    step,
    outcome: 'x',
    reason: 'y',
    engine,
    latency_us: 10,
    created_at: '2026-12-01T10:00:00Z',
  };
}

describe('timeline in words', () => {
  it('names people and profiles, never ids', () => {
    expect(
      timelineText(
        ev('taken_over', {
          actor_id: 2,
          operator_id: 2,
          operator_name: 'Ben',
          from_operator_id: 1,
          from_operator_name: 'Anna',
        }),
      ),
    ).toBe('Ben took it over from Anna');
    expect(timelineText(ev('assigned', { operator_id: 1, operator_name: 'Anna' }))).toBe(
      'Assigned to Anna automatically',
    );
    expect(
      timelineText(ev('routed', { routing_profile_id: 3, routing_profile_name: 'Billing' })),
    ).toBe('Routed to Billing');
    expect(timelineText(ev('handed_off', { text: 'the visitor asked for a person' }))).toBe(
      'Handed off: the visitor asked for a person',
    );
    const back = timelineText(
      ev('handed_back', { actor_id: 2, actor_name: 'Ben', text: 'COD +10 zł' }),
    );
    expect(back).toBe('Ben handed it back to the AI agent with an instruction');
    for (const e of [ev('assigned', { operator_id: 9 }), ev('resolved', { actor_id: 4 })]) {
      expect(timelineText(e)).not.toMatch(/#\d|:\d/);
    }
  });

  it('interleaves events with messages by time, a message before an event of the same instant', () => {
    const t = thread(
      [msg(1, 'hi', '2026-12-01T10:00:00Z'), msg(2, 'later', '2026-12-01T10:05:00Z')],
      [
        ev('handed_off', { created_at: '2026-12-01T10:00:00Z' }),
        ev('resolved', { created_at: '2026-12-01T10:03:00Z' }),
      ],
    );
    expect(t.map((e) => (e.kind === 'message' ? e.message.text : e.event.kind))).toEqual([
      'hi',
      'handed_off',
      'resolved',
      'later',
    ]);
  });

  it('finds the latest handoff, none after a hand-back', () => {
    const a = ev('handed_off', { id: 1, text: 'first' });
    const r = ev('routed', { id: 2, routing_profile_name: 'Billing' });
    const back = ev('handed_back', { id: 3 });
    const b = ev('handed_off', { id: 4, text: 'second' });
    expect(latestHandoff([a, r]).routed?.routing_profile_name).toBe('Billing');
    expect(latestHandoff([a, r, back]).handoff).toBeNull();
    expect(latestHandoff([a, r, back, b])).toEqual({ handoff: b, routed: null });
  });
});

describe('decision records in words', () => {
  it('labels engines readably', () => {
    expect(engineLabel('builtin')).toBe('Built-in engine');
    expect(engineLabel('openai:gpt-4o-mini')).toBe('Model gpt-4o-mini');
    expect(engineLabel('builtin (fallback: timeout)')).toBe(
      'Built-in engine (the model timed out)',
    );
  });

  it('cuts at word boundaries', () => {
    expect(clipWords('Can I pay cash on delivery for my order please', 22)).toBe(
      'Can I pay cash on…',
    );
    expect(clipWords('short', 22)).toBe('short');
  });

  it('titles groups by the message and collapses repeated silent records', () => {
    const messages = [
      msg(10, 'I want a person'),
      msg(11, 'hello?'),
      msg(12, 'anyone?'),
      msg(13, 'hi'),
    ];
    const groups = decisionGroups(
      [
        rec(1, 10, 'guidelines', 'builtin'),
        rec(2, 10, 'handoff'),
        rec(3, 11, 'with_person'),
        rec(4, 12, 'with_person'),
        rec(5, 13, 'with_person'),
      ],
      messages,
    );
    expect(groups.map((g) => [g.title, g.repeats])).toEqual([
      ['“hi”', 3],
      ['“I want a person”', 1],
    ]);
    expect(groups[1].engine).toBe('Built-in engine');
    expect(groups.some((g) => /Message #/.test(g.title))).toBe(false);
  });

  it('says what an action step did in words', () => {
    expect(outcomeLabel('success', 'action')).toBe('success');
    expect(outcomeLabel('http_error', 'action')).toBe('failed');
    expect(outcomeLabel('invalid_response', 'action')).toBe('unusable answer');
    expect(outcomeLabel('asking', 'action')).toBe('asked the visitor');
    expect(outcomeLabel('gave_up', 'action')).toBe('gave up asking');
    expect(outcomeLabel('timeout', 'action')).toBe('timed out');
    // Other steps keep their outcome, underscores as spaces.
    expect(outcomeLabel('not_found', 'answer')).toBe('not found');
    expect(outcomeLabel('Refund requests', 'guidelines')).toBe('Refund requests');
  });
});
