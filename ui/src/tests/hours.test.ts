import { describe, expect, it } from 'vitest';
import type { AvailabilityExceptionInput, AvailabilitySlotInput } from '../lib/bindings';
import {
  hoursDraftOf,
  isOvernight,
  minutes,
  normalizeTime,
  spanDays,
  todayIn,
  weekBlocks,
} from '../lib/hours';

describe('weekly slots', () => {
  it('expands day spans, wrapping ranges too', () => {
    expect(spanDays('monday')).toEqual([0]);
    expect(spanDays('monday-friday')).toEqual([0, 1, 2, 3, 4]);
    expect(spanDays('friday-monday')).toEqual([4, 5, 6, 0]);
  });

  it('parses HH:MM with 24:00 as an end', () => {
    expect(minutes('09:30')).toBe(570);
    expect(minutes('24:00')).toBe(1440);
    expect(minutes('24:01')).toBeNull();
    expect(minutes('9:30')).toBeNull();
    expect(isOvernight('22:00', '06:00')).toBe(true);
    expect(isOvernight('09:00', '00:00')).toBe(false);
  });

  it('lays periods on the week, overnight ones spilling into the next day', () => {
    const week = weekBlocks([
      { day_span: 'monday-friday', start_time: '09:00', end_time: '12:00' },
      { day_span: 'monday-friday', start_time: '13:00', end_time: '17:00' },
      { day_span: 'sunday', start_time: '22:00', end_time: '06:00' },
    ]);
    expect(week[0]).toEqual([
      [0, 360],
      [540, 720],
      [780, 1020],
    ]);
    expect(week[5]).toEqual([]);
    expect(week[6]).toEqual([[1320, 1440]]);
  });

  it('knows today in a zone', () => {
    const t = new Date('2026-03-02T23:30:00Z');
    expect(todayIn('UTC', t)).toBe('2026-03-02');
    expect(todayIn('Asia/Tokyo', t)).toBe('2026-03-03');
  });
});

describe('typing times', () => {
  it('tidies what people type into HH:MM', () => {
    expect(normalizeTime('9')).toBe('09:00');
    expect(normalizeTime('930')).toBe('09:30');
    expect(normalizeTime('9.30')).toBe('09:30');
    expect(normalizeTime('17:05')).toBe('17:05');
    expect(normalizeTime('1705')).toBe('17:05');
    expect(normalizeTime('24:00')).toBe('24:00');
    expect(normalizeTime('25')).toBe('25');
    expect(normalizeTime('noon')).toBe('noon');
  });
});

describe('the preview of unsaved hours', () => {
  const editing = () => ({
    settings: { working_hours_active: true, timezone: 'Europe/London', is_active: false },
    availability: [
      { id: 3, day_span: 'monday-friday', start_time: '09:00', end_time: '17:00' },
    ] as AvailabilitySlotInput[],
    availability_exceptions: [] as AvailabilityExceptionInput[],
  });

  it('sends the hours as they are on screen, and only the hours', () => {
    const d = editing();
    d.settings.timezone = 'Asia/Tokyo';
    // New ones have no id yet.
    d.availability.push({
      day_span: 'saturday',
      start_time: '10:00',
      end_time: '14:00',
    });
    d.availability_exceptions.push({
      date: '2026-12-25',
      name: 'Christmas Day',
      closed: true,
      start_time: null,
      end_time: null,
    });
    expect(hoursDraftOf(d)).toEqual({
      working_hours_active: true,
      timezone: 'Asia/Tokyo',
      availability: [
        { id: 3, day_span: 'monday-friday', start_time: '09:00', end_time: '17:00' },
        { day_span: 'saturday', start_time: '10:00', end_time: '14:00' },
      ],
      availability_exceptions: [
        {
          date: '2026-12-25',
          name: 'Christmas Day',
          closed: true,
          start_time: null,
          end_time: null,
        },
      ],
    });
  });

  it('is a copy: a later edit does not change a request already made', () => {
    const d = editing();
    const sent = hoursDraftOf(d);
    d.availability[0].end_time = '18:00';
    d.settings.working_hours_active = false;
    expect(sent.availability[0].end_time).toBe('17:00');
    expect(sent.working_hours_active).toBe(true);
    expect(hoursDraftOf(d).availability[0].end_time).toBe('18:00');
  });
});
