// Working hours: whether people are available, for an agent's saved hours or for a draft.
// `at` (RFC 3339) is the instant to evaluate, default now; `visitorTimezone` the zone to express
// the next opening in.

import type { HoursDraft } from '../bindings';
import { call } from '../transport';

/** The saved hours of an agent (`agentId` null: the default one). */
export const hoursCheck = (
  agentId: number | null,
  at: string | null = null,
  visitorTimezone: string | null = null,
) =>
  call('hours_check', {
    agent_id: agentId ?? undefined,
    at: at ?? undefined,
    visitor_timezone: visitorTimezone ?? undefined,
  });

/** Hours not saved yet, as the editor has them. */
export const hoursPreview = (
  draft: HoursDraft,
  at: string | null = null,
  visitorTimezone: string | null = null,
) =>
  call('hours_preview', {
    draft,
    at: at ?? undefined,
    visitor_timezone: visitorTimezone ?? undefined,
  });
