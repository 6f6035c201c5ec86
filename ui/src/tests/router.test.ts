import { describe, expect, it } from 'vitest';
import { parseHash } from '../lib/router.svelte';

describe('hash routes', () => {
  it('reads the page and its parameter', () => {
    expect(parseHash('')).toEqual({ page: 'inbox', param: null });
    expect(parseHash('#/')).toEqual({ page: 'inbox', param: null });
    expect(parseHash('#/handoff')).toEqual({ page: 'handoff', param: null });
    expect(parseHash('#/inbox/42')).toEqual({ page: 'inbox', param: '42' });
    expect(parseHash('#inbox/a%20b')).toEqual({ page: 'inbox', param: 'a b' });
  });
});
