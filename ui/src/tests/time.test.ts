import { describe, expect, it } from 'vitest';
import type { HoursStatus } from '../lib/bindings';
import {
  allTimeZones,
  formatDateTime,
  formatDuration,
  formatIn,
  formatStamp,
  formatWhen,
  hoursSummary,
  parseOffset,
  searchTimeZones,
  zoneOffset,
} from '../lib/time';

const at = (s: string) => new Date(s);

describe('durations', () => {
  it('formats like "in 2 h 14 min"', () => {
    const now = at('2026-03-02T06:46:00Z');
    expect(formatIn(at('2026-03-02T09:00:00Z'), now)).toBe('in 2 h 14 min');
    expect(formatIn(at('2026-03-02T07:31:30Z'), now)).toBe('in 45 min');
    expect(formatIn(at('2026-03-02T08:46:00Z'), now)).toBe('in 2 h');
    expect(formatIn(at('2026-03-05T10:46:00Z'), now)).toBe('in 3 d 4 h');
    expect(formatIn(at('2026-03-02T06:46:20Z'), now)).toBe('in less than a minute');
    expect(formatIn(at('2026-03-02T06:00:00Z'), now)).toBe('now');
    expect(formatDuration(59_999)).toBe('less than a minute');
  });
});

describe('working-hours preview', () => {
  const base: HoursStatus = {
    working_hours_active: true,
    timezone: 'Europe/London',
    at: '2026-03-06T20:00:00Z',
    open: false,
    next_opening: null,
    next_closing: null,
    next_opening_local: null,
    next_opening_visitor: null,
  };

  it('says when it closes while open', () => {
    const s = { ...base, open: true, next_closing: '2026-03-06T17:00:00Z' };
    expect(hoursSummary(s, at('2026-03-06T10:00:00Z'))).toBe('Open now — closes 17:00');
  });

  it('says when it opens, in words and as a countdown', () => {
    // Friday 20:00 in London; opens Monday 09:00.
    const s = { ...base, next_opening: '2026-03-09T09:00:00Z' };
    expect(hoursSummary(s, at('2026-03-06T20:00:00Z'))).toBe(
      'Closed — opens Monday 09:00 (in 2 d 13 h)',
    );
    const soon = { ...base, next_opening: '2026-03-09T09:00:00Z' };
    expect(hoursSummary(soon, at('2026-03-09T06:46:00Z'))).toBe(
      'Closed — opens today 09:00 (in 2 h 14 min)',
    );
  });

  it('can speak in the visitor time zone', () => {
    const s = { ...base, next_opening: '2026-03-09T09:00:00Z' };
    // 09:00 London = 18:00 Tokyo, the same Monday.
    expect(hoursSummary(s, at('2026-03-06T20:00:00Z'), 'Asia/Tokyo')).toBe(
      'Closed — opens Monday 18:00 (in 2 d 13 h)',
    );
  });

  it('handles hours being off or missing', () => {
    expect(hoursSummary({ ...base, working_hours_active: false }, new Date())).toMatch(/^Open/);
    expect(hoursSummary(base, new Date())).toBe('Closed — no working hours are set');
  });

  it('says tomorrow, and dates far away', () => {
    const now = at('2026-03-02T12:00:00Z');
    expect(formatWhen(at('2026-03-03T09:00:00Z'), now, 'UTC')).toBe('tomorrow 09:00');
    expect(formatWhen(at('2026-03-20T09:00:00Z'), now, 'UTC')).toBe('Fri 20 Mar 09:00');
  });
});

describe('time zones', () => {
  it('lists every IANA zone, UTC included', () => {
    const zones = allTimeZones();
    expect(zones.length).toBeGreaterThan(300);
    expect(zones).toContain('UTC');
    expect(zones).toContain('Europe/London');
    expect(zones).toContain('America/Argentina/Buenos_Aires');
  });

  it('searches by city first, ignoring case, underscores and slashes', () => {
    const zones = allTimeZones();
    expect(searchTimeZones('new york', zones)[0]).toBe('America/New_York');
    expect(searchTimeZones('TOKYO', zones)).toEqual(['Asia/Tokyo']);
    expect(searchTimeZones('europe lon', zones)[0]).toBe('Europe/London');
    expect(searchTimeZones('buenos', zones)[0]).toBe('America/Argentina/Buenos_Aires');
    expect(searchTimeZones('', zones)).toBe(zones);
    expect(searchTimeZones('zzzz', zones)).toEqual([]);
  });

  it('finds zones by UTC offset', () => {
    const jan = at('2026-01-15T12:00:00Z');
    expect(parseOffset('utc+5:30')).toBe(330);
    expect(parseOffset('-03')).toBe(-180);
    expect(parseOffset('berlin')).toBeNull();
    expect(searchTimeZones('UTC+05:30', allTimeZones(), jan)).toContain('Asia/Kolkata');
    expect(zoneOffset('Asia/Kolkata', jan)).toBe('UTC+05:30');
    expect(zoneOffset('UTC', jan)).toBe('UTC+00:00');
    expect(zoneOffset('Europe/London', at('2026-07-01T12:00:00Z'))).toBe('UTC+01:00');
  });
});

describe('one date and time format', () => {
  it('names the zone, in the given locale and zone', () => {
    const at = new Date('2025-03-14T09:05:00Z');
    expect(formatDateTime(at, { timeZone: 'UTC', locale: 'en-GB' })).toBe('14 Mar 2025, 09:05 UTC');
    expect(formatDateTime(at, { timeZone: 'Europe/Warsaw', locale: 'en-GB' })).toMatch(
      /^14 Mar 2025, 10:05 (CET|GMT\+1)$/,
    );
    expect(formatDateTime(at, { timeZone: 'America/New_York', locale: 'en-US' })).toBe(
      'Mar 14, 2025, 05:05 AM EDT',
    );
  });
});

describe('list stamps', () => {
  it('follow the locale: the clock today, weekday within a week, else the date', () => {
    const now = new Date('2026-12-01T15:00:00Z');
    const at = (iso: string, locale: string) => formatStamp(new Date(iso), now, 'UTC', locale);
    expect(at('2026-12-01T14:05:00Z', 'en-GB')).toBe('14:05');
    expect(at('2026-12-01T14:05:00Z', 'en-US')).toMatch(/^02:05\sPM$/);
    expect(at('2026-11-30T09:00:00Z', 'en-GB')).toMatch(/^Mon,? 09:00$/);
    expect(at('2026-11-30T09:00:00Z', 'de-DE')).toMatch(/^Mo\.?,? 09:00$/);
    expect(at('2026-03-12T09:00:00Z', 'en-GB')).toBe('12 Mar');
  });
});
