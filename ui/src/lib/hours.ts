// Weekly working-hours slots as the API has them (`day_span` "monday" or "monday-friday",
// "HH:MM" times, end before start = overnight), and their shape on a week grid.

import type { AvailabilityExceptionInput, AvailabilitySlotInput, HoursDraft } from './bindings';

export const DAYS = [
  'monday',
  'tuesday',
  'wednesday',
  'thursday',
  'friday',
  'saturday',
  'sunday',
] as const;
export type Day = (typeof DAYS)[number];

export const DAY_LABEL: Record<Day, string> = {
  monday: 'Monday',
  tuesday: 'Tuesday',
  wednesday: 'Wednesday',
  thursday: 'Thursday',
  friday: 'Friday',
  saturday: 'Saturday',
  sunday: 'Sunday',
};

export function parseSpan(span: string): { from: Day; to: Day } {
  const [a, b] = span.split('-');
  const from = (DAYS as readonly string[]).includes(a) ? (a as Day) : 'monday';
  const to = b && (DAYS as readonly string[]).includes(b) ? (b as Day) : from;
  return { from, to };
}

export function formatSpan(from: Day, to: Day): string {
  return from === to ? from : `${from}-${to}`;
}

/** The day indexes (0 = Monday) a span covers; ranges may wrap ("friday-monday"). */
export function spanDays(span: string): number[] {
  const { from, to } = parseSpan(span);
  const a = DAYS.indexOf(from);
  const b = DAYS.indexOf(to);
  const out: number[] = [];
  for (let i = a; ; i = (i + 1) % 7) {
    out.push(i);
    if (i === b) break;
  }
  return out;
}

/** "HH:MM" → minutes, or null when malformed. "24:00" is allowed (an end). */
export function minutes(t: string): number | null {
  const m = /^(\d{2}):(\d{2})$/.exec(t);
  if (!m) return null;
  const h = +m[1];
  const min = +m[2];
  if (min > 59 || h > 24 || (h === 24 && min > 0)) return null;
  return h * 60 + min;
}

export function isOvernight(start: string, end: string): boolean {
  const s = minutes(start);
  const e = minutes(end);
  return s !== null && e !== null && e < s && e !== 0;
}

/** Per day (0 = Monday) the open intervals [startMin, endMin) on a 24 h line; overnight
 * periods continue on the next day. */
export function weekBlocks(
  slots: { day_span: string; start_time: string; end_time: string }[],
): [number, number][][] {
  const week: [number, number][][] = Array.from({ length: 7 }, () => []);
  for (const s of slots) {
    const a = minutes(s.start_time);
    let b = minutes(s.end_time);
    if (a === null || b === null || a === b) continue;
    if (b === 0) b = 1440;
    for (const d of spanDays(s.day_span)) {
      if (b > a) week[d].push([a, b]);
      else {
        week[d].push([a, 1440]);
        week[(d + 1) % 7].push([0, b]);
      }
    }
  }
  for (const day of week) day.sort((x, y) => x[0] - y[0]);
  return week;
}

/** Today's date in a zone, "YYYY-MM-DD". */
export function todayIn(timeZone: string, now = new Date()): string {
  return new Intl.DateTimeFormat('en-CA', {
    timeZone,
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
  }).format(now);
}

/** Tidies what was typed into "HH:MM": "9" → "09:00", "930" → "09:30", "9.30" → "09:30".
 * Leaves anything it cannot read as it is (the field then shows as invalid). */
export function normalizeTime(raw: string): string {
  const t = raw.trim();
  let m = /^(\d{1,2})(?:[:.h](\d{2}))?$/.exec(t);
  if (!m) {
    const digits = /^(\d{1,2})(\d{2})$/.exec(t);
    if (!digits) return t;
    m = digits;
  }
  const h = +m[1];
  const min = m[2] ? +m[2] : 0;
  if (h > 24 || min > 59) return t;
  return `${String(h).padStart(2, '0')}:${String(min).padStart(2, '0')}`;
}

/** The working-hours part of an editor's draft, as `hours_preview` takes it: the preview shows
 * the hours being edited, saved or not. A copy, so later edits do not change a request. */
export function hoursDraftOf(d: {
  settings: { working_hours_active: boolean; timezone: string };
  availability: AvailabilitySlotInput[];
  availability_exceptions: AvailabilityExceptionInput[];
}): HoursDraft {
  return {
    working_hours_active: d.settings.working_hours_active,
    timezone: d.settings.timezone,
    availability: d.availability.map(({ id, day_span, start_time, end_time }) => ({
      id,
      day_span,
      start_time,
      end_time,
    })),
    availability_exceptions: d.availability_exceptions.map(
      ({ id, date, name, closed, start_time, end_time }) => ({
        id,
        date,
        name,
        closed,
        start_time,
        end_time,
      }),
    ),
  };
}
