import { describe, expect, it } from 'vitest';
import { charCount, counter, splitChips } from '../lib/text';

describe('character counters', () => {
  it('counts Unicode characters as the server does, not UTF-16 units', () => {
    expect(charCount('')).toBe(0);
    expect(charCount('héllo')).toBe(5);
    expect(charCount('👋🏽')).toBe(2); // two code points
    expect('👋🏽'.length).toBe(4);
  });

  it('reports the count, the limit and when it is near or over', () => {
    expect(counter('abc', 500)).toMatchObject({
      label: '3 / 500',
      over: false,
      near: false,
      spoken: '497 characters left',
    });
    expect(counter('a'.repeat(450), 500)).toMatchObject({ near: true, over: false });
    expect(counter('a'.repeat(500), 500)).toMatchObject({ near: true, over: false });
    expect(counter('a'.repeat(501), 500)).toMatchObject({
      label: '501 / 500',
      over: true,
      spoken: '1 character too many',
    });
  });
});

describe('chips', () => {
  it('splits on commas and new lines, dropping blanks and duplicates ignoring case', () => {
    expect(splitChips('refund, Refund,\n cancel order ,,', ['CANCEL ORDER', 'x'])).toEqual([
      'refund',
    ]);
    expect(splitChips('a,b')).toEqual(['a', 'b']);
  });
});
