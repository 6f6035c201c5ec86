import { describe, expect, it } from 'vitest';
import { indexed } from '../lib/config.svelte';

describe('errors by index', () => {
  it('picks the errors of one list', () => {
    expect(
      indexed(
        {
          'settings.keywords[2]': 'duplicate',
          'settings.keywords[10]': 'too long',
          'settings.keywords': 'too many',
          'settings.emails[0]': 'bad',
        },
        'settings.keywords',
      ),
    ).toEqual({ 2: 'duplicate', 10: 'too long' });
  });
});
