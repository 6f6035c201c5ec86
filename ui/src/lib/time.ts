// Time and time-zone formatting. Pure functions (a `now` and a locale can be passed in) so that
// they are testable and give the same text in both hosts.

import type { HoursStatus } from './bindings';

const MINUTE = 60_000;

/** "2 h 14 min", "45 min", "3 d 4 h", "less than a minute" (rounded down to the minute). */
export function formatDuration(ms: number): string {
  const mins = Math.floor(Math.max(0, ms) / MINUTE);
  if (mins < 1) return 'less than a minute';
  const d = Math.floor(mins / 1440);
  const h = Math.floor((mins % 1440) / 60);
  const m = mins % 60;
  if (d > 0) return h > 0 ? `${d} d ${h} h` : `${d} d`;
  if (h > 0) return m > 0 ? `${h} h ${m} min` : `${h} h`;
  return `${m} min`;
}

/** "in 2 h 14 min" (or "now" when the instant has passed). */
export function formatIn(target: Date, now: Date): string {
  const ms = target.getTime() - now.getTime();
  if (ms < MINUTE) return ms <= 0 ? 'now' : 'in less than a minute';
  return `in ${formatDuration(ms)}`;
}

/** Short "5 min", "2 h 3 min" since an instant, for waiting times. */
export function formatSince(from: Date, now: Date): string {
  const ms = now.getTime() - from.getTime();
  if (ms < MINUTE) return 'just now';
  return formatDuration(ms);
}

function parts(d: Date, timeZone: string, locale: string): Record<string, string> {
  const out: Record<string, string> = {};
  const f = new Intl.DateTimeFormat(locale, {
    timeZone,
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    hour: '2-digit',
    minute: '2-digit',
    hourCycle: 'h23',
    weekday: 'long',
  });
  for (const p of f.formatToParts(d)) out[p.type] = p.value;
  return out;
}

/** Calendar day number of an instant in a zone, to compare "today"/"tomorrow". */
function dayNumber(d: Date, timeZone: string): number {
  const p = parts(d, timeZone, 'en-GB');
  return Math.floor(Date.UTC(+p.year, +p.month - 1, +p.day) / 86_400_000);
}

/** "17:00" in the zone. */
export function formatClock(d: Date, timeZone: string): string {
  const p = parts(d, timeZone, 'en-GB');
  return `${p.hour === '24' ? '00' : p.hour}:${p.minute}`;
}

/** "today 09:00", "tomorrow 09:00", "Monday 09:00" (within a week), "Mon 24 Dec 09:00". */
export function formatWhen(d: Date, now: Date, timeZone: string, locale = 'en-GB'): string {
  const clock = formatClock(d, timeZone);
  const diff = dayNumber(d, timeZone) - dayNumber(now, timeZone);
  if (diff === 0) return `today ${clock}`;
  if (diff === 1) return `tomorrow ${clock}`;
  if (diff > 1 && diff < 7) {
    const weekday = new Intl.DateTimeFormat(locale, { timeZone, weekday: 'long' }).format(d);
    return `${weekday} ${clock}`;
  }
  const date = new Intl.DateTimeFormat(locale, {
    timeZone,
    weekday: 'short',
    day: 'numeric',
    month: 'short',
    year: diff > 300 ? 'numeric' : undefined,
  }).format(d);
  return `${date} ${clock}`;
}

/** The working-hours preview line, in the business time zone (or another one, e.g. a
 * visitor's): "Open now — closes 17:00", "Closed — opens Monday 09:00 (in 2 h 14 min)". */
export function hoursSummary(s: HoursStatus, now: Date, timeZone = s.timezone): string {
  if (!s.working_hours_active)
    return 'Open — working hours are off, your operators count as available';
  if (s.open) {
    if (!s.next_closing) return 'Open now';
    const closing = new Date(s.next_closing);
    const when = formatWhen(closing, now, timeZone);
    return `Open now — closes ${when.startsWith('today ') ? when.slice(6) : when}`;
  }
  if (!s.next_opening) return 'Closed — no working hours are set';
  const opening = new Date(s.next_opening);
  return `Closed — opens ${formatWhen(opening, now, timeZone)} (${formatIn(opening, now)})`;
}

/** "UTC+01:00" (the zone's offset at that instant). */
export function zoneOffset(timeZone: string, at: Date = new Date()): string {
  try {
    const p = new Intl.DateTimeFormat('en-US', { timeZone, timeZoneName: 'longOffset' })
      .formatToParts(at)
      .find((x) => x.type === 'timeZoneName')?.value;
    if (!p || p === 'GMT') return 'UTC+00:00';
    return p.replace('GMT', 'UTC');
  } catch {
    return '';
  }
}

/** ICU (and so Intl) still names some zones by their old IANA names; show the current ones.
 * Both are valid for the server (the old names are IANA links). */
const RENAMED: Record<string, string> = {
  'Africa/Asmera': 'Africa/Asmara',
  'America/Buenos_Aires': 'America/Argentina/Buenos_Aires',
  'America/Catamarca': 'America/Argentina/Catamarca',
  'America/Coral_Harbour': 'America/Atikokan',
  'America/Cordoba': 'America/Argentina/Cordoba',
  'America/Godthab': 'America/Nuuk',
  'America/Indianapolis': 'America/Indiana/Indianapolis',
  'America/Jujuy': 'America/Argentina/Jujuy',
  'America/Louisville': 'America/Kentucky/Louisville',
  'America/Mendoza': 'America/Argentina/Mendoza',
  'Asia/Calcutta': 'Asia/Kolkata',
  'Asia/Katmandu': 'Asia/Kathmandu',
  'Asia/Rangoon': 'Asia/Yangon',
  'Asia/Saigon': 'Asia/Ho_Chi_Minh',
  'Atlantic/Faeroe': 'Atlantic/Faroe',
  'Europe/Kiev': 'Europe/Kyiv',
  'Pacific/Enderbury': 'Pacific/Kanton',
  'Pacific/Ponape': 'Pacific/Pohnpei',
  'Pacific/Truk': 'Pacific/Chuuk',
};

/** The current IANA name of a zone. */
export function modernZone(z: string): string {
  return RENAMED[z] ?? z;
}

let zoneCache: string[] | null = null;

/** Every IANA zone this engine knows, by current name, sorted (plus UTC, which Intl leaves out). */
export function allTimeZones(): string[] {
  if (zoneCache) return zoneCache;
  const intl = Intl as unknown as { supportedValuesOf?: (k: string) => string[] };
  const list = intl.supportedValuesOf ? intl.supportedValuesOf('timeZone') : [];
  const set = new Set(list.map(modernZone));
  set.add('UTC');
  zoneCache = [...set].sort((a, b) => (a === 'UTC' ? -1 : b === 'UTC' ? 1 : a.localeCompare(b)));
  return zoneCache;
}

/** The zone this browser / computer is in. */
export function localTimeZone(): string {
  return modernZone(Intl.DateTimeFormat().resolvedOptions().timeZone || 'UTC');
}

function norm(s: string): string {
  return s
    .toLowerCase()
    .replace(/[_/\s-]+/g, ' ')
    .trim();
}

/** Parses "+9", "UTC+09:00", "gmt-3:30" into minutes east of UTC; null if not an offset. */
export function parseOffset(q: string): number | null {
  const m = /^(?:utc|gmt)?\s*([+-])\s*(\d{1,2})(?::?(\d{2}))?$/i.exec(q.trim());
  if (!m) return /^(utc|gmt)$/i.test(q.trim()) ? 0 : null;
  const mins = +m[2] * 60 + (m[3] ? +m[3] : 0);
  return m[1] === '-' ? -mins : mins;
}

/** Zones matching a search, best first: city prefix, then any word prefix, then substring;
 * an offset ("utc+9", "-03:30") lists the zones at that offset now. */
export function searchTimeZones(query: string, zones: string[], at: Date = new Date()): string[] {
  const q = norm(query);
  if (!q) return zones;
  const offset = parseOffset(query);
  const scored: [number, string][] = [];
  for (const z of zones) {
    const n = norm(z);
    const city = norm(z.split('/').pop() ?? z);
    let score = -1;
    if (city.startsWith(q)) score = 0;
    else if (n.startsWith(q)) score = 1;
    else if (n.split(' ').some((w) => w.startsWith(q))) score = 2;
    else if (n.includes(q)) score = 3;
    else if (offset !== null && parseOffset(zoneOffset(z, at)) === offset) score = 4;
    if (score >= 0) scored.push([score, z]);
  }
  scored.sort((a, b) => a[0] - b[0] || a[1].localeCompare(b[1]));
  return scored.map((s) => s[1]);
}

/** "just now", "5 min ago". */
export function formatAgo(from: Date, now: Date): string {
  const since = formatSince(from, now);
  return since === 'just now' ? since : `${since} ago`;
}

/** Short, for lists, in the user's locale: the time today ("14:05" / "2:05 PM"), the weekday
 * and time within a week ("Mon 14:05"), else the date ("12 Mar"). The full date, time and zone
 * is `formatDateTime` (shown as the element's title). */
export function formatStamp(
  d: Date,
  now: Date,
  timeZone = localTimeZone(),
  locale: string | undefined = undefined,
): string {
  const diff = dayNumber(now, timeZone) - dayNumber(d, timeZone);
  const clock = new Intl.DateTimeFormat(locale, { timeZone, hour: '2-digit', minute: '2-digit' });
  if (diff === 0) return clock.format(d);
  if (diff > 0 && diff < 7) {
    return new Intl.DateTimeFormat(locale, {
      timeZone,
      weekday: 'short',
      hour: '2-digit',
      minute: '2-digit',
    }).format(d);
  }
  return new Intl.DateTimeFormat(locale, { timeZone, day: 'numeric', month: 'short' }).format(d);
}

/** The one date-and-time format of the app: in the user's locale, with the zone named
 * ("14 Mar 2025, 09:05 GMT+1" in en-GB, "Mar 14, 2025, 9:05 AM EDT" in en-US). `timeZone`
 * defaults to this computer's zone. */
export function formatDateTime(
  d: Date,
  { timeZone, locale }: { timeZone?: string; locale?: string } = {},
): string {
  return new Intl.DateTimeFormat(locale, {
    timeZone,
    year: 'numeric',
    month: 'short',
    day: 'numeric',
    hour: '2-digit',
    minute: '2-digit',
    timeZoneName: 'short',
  }).format(d);
}
