// Labels for conversations, shared by the inbox and the playground.

import type { Conversation, Priority, Status } from './bindings';

export const STATUS_LABEL: Record<Status, string> = {
  ai: 'With the AI agent',
  awaiting_confirmation: 'Asked to hand off',
  gathering_info: 'Gathering details',
  needs_agent: 'Needs an operator',
  assigned: 'Assigned',
  resolved: 'Resolved',
};

export const PRIORITY_LABEL: Record<Priority, string> = {
  low: 'Low',
  medium: 'Medium',
  high: 'High',
  urgent: 'Urgent',
};

export const STEP_LABEL: Record<string, string> = {
  with_person: 'With an operator',
  reopen: 'Reopened',
  confirmation: 'Visitor’s answer',
  gathering: 'Information',
  keyword: 'Keyword',
  answer: 'Answer',
  guidelines: 'Guidelines',
  failed_answers: 'Unanswered questions',
  handoff: 'Handoff',
  working_hours: 'Working hours',
  question: 'Question',
  routing: 'Routing',
  priority: 'Priority',
  summary: 'Summary',
  assignment: 'Assignment',
  follow_up: 'Follow-up',
  action: 'Action',
  webhook: 'Webhook',
  lead: 'Lead details',
  buttons: 'Action buttons',
  handover_channels: 'Handover channels',
};

/** A human name for the visitor: gathered name or email, else a short id. */
export function visitorName(c: Conversation): string {
  const g = c.gathered;
  const byKey = (re: RegExp) =>
    Object.entries(g).find(([k, v]) => re.test(k) && typeof v === 'string' && v)?.[1];
  return byKey(/name/i) ?? byKey(/e-?mail/i) ?? `Visitor ${c.visitor_id.slice(0, 6)}`;
}

/** "0.4 ms", "12 ms", "1.2 s". */
export function formatLatency(us: number): string {
  if (us < 1000) return `${(us / 1000).toFixed(1)} ms`;
  if (us < 1_000_000) return `${Math.round(us / 1000)} ms`;
  return `${(us / 1_000_000).toFixed(1)} s`;
}

/** Whether a keyboard event is typing into a field (shortcuts must not fire). */
export function isTyping(e: KeyboardEvent): boolean {
  const t = e.target as HTMLElement | null;
  if (!t) return false;
  return (
    t.isContentEditable ||
    t.tagName === 'INPUT' ||
    t.tagName === 'TEXTAREA' ||
    t.tagName === 'SELECT' ||
    t.closest('dialog[open]') !== null
  );
}
