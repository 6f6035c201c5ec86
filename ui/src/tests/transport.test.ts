import { afterEach, describe, expect, it, vi } from 'vitest';
import type { LiveEvent } from '../lib/bindings';
import {
  ApiError,
  auth,
  call,
  fieldErrors,
  isDesktop,
  keepConnected,
  live,
  reconnectDelay,
  toApiError,
} from '../lib/transport';

// The shell's events, as `@tauri-apps/api/event` would deliver them: `emit` plays the shell.
const events = vi.hoisted(() => {
  type Handler = (e: { event: string; id: number; payload: unknown }) => void;
  const handlers = new Map<string, Set<Handler>>();
  const unlisten = vi.fn();
  const listen = vi.fn(async (event: string, handler: Handler) => {
    if (!handlers.has(event)) handlers.set(event, new Set());
    handlers.get(event)!.add(handler);
    return () => {
      unlisten(event);
      handlers.get(event)?.delete(handler);
    };
  });
  const emit = (event: string, payload: unknown) =>
    handlers.get(event)?.forEach((h) => h({ event, id: 1, payload }));
  return { handlers, listen, unlisten, emit, impl: listen.getMockImplementation()! };
});
vi.mock('@tauri-apps/api/event', () => ({ listen: events.listen }));

/** The desktop app as `@tauri-apps/api` sees it: `isTauri` set by the shell, and IPC through
 * its internals (what `invoke` calls). */
function desktop(invoke: (...args: unknown[]) => unknown) {
  vi.stubGlobal('isTauri', true);
  vi.stubGlobal('window', globalThis);
  vi.stubGlobal('__TAURI_INTERNALS__', { invoke });
}

afterEach(() => {
  vi.unstubAllGlobals();
  vi.useRealTimers();
  events.handlers.clear();
  events.listen.mockReset();
  events.listen.mockImplementation(events.impl);
  events.unlisten.mockClear();
});

function jsonResponse(status: number, body: unknown): Response {
  return new Response(body === undefined ? '' : JSON.stringify(body), {
    status,
    headers: { 'Content-Type': 'application/json' },
  });
}

describe('call() in a browser', () => {
  it('POSTs the arguments to /v1/rpc/{command} with the session cookie', async () => {
    const fetch = vi.fn().mockResolvedValue(jsonResponse(200, [{ id: 1, name: 'Support' }]));
    vi.stubGlobal('fetch', fetch);
    expect(isDesktop()).toBe(false);

    const agents = await call('agent_list', {});

    expect(agents).toEqual([{ id: 1, name: 'Support' }]);
    expect(fetch).toHaveBeenCalledOnce();
    const [url, init] = fetch.mock.calls[0];
    expect(url).toBe('/v1/rpc/agent_list');
    expect(init.method).toBe('POST');
    expect(init.credentials).toBe('same-origin');
    expect(JSON.parse(init.body)).toEqual({});
  });

  it('reads an empty or null body as null (commands returning nothing)', async () => {
    vi.stubGlobal('fetch', vi.fn().mockResolvedValue(new Response('null', { status: 200 })));
    expect(await call('agent_delete', { id: 3 })).toBeNull();
  });

  it('rejects with the server error body, field errors included', async () => {
    const body = {
      code: 'validation_failed',
      message: '1 invalid field(s)',
      field: 'settings.confirmation_message',
      errors: [
        {
          field: 'settings.confirmation_message',
          code: 'too_long',
          message: 'at most 500 characters',
        },
      ],
    };
    vi.stubGlobal('fetch', vi.fn().mockResolvedValue(jsonResponse(422, body)));
    const err = await call('handoff_config_get', {}).catch((e) => e);
    expect(err).toBeInstanceOf(ApiError);
    expect(err.code).toBe('validation_failed');
    expect(err.status).toBe(422);
    expect(err.fieldErrors()).toEqual({
      'settings.confirmation_message': 'at most 500 characters',
    });
  });

  it('maps a network failure to a clear error', async () => {
    vi.stubGlobal('fetch', vi.fn().mockRejectedValue(new TypeError('Failed to fetch')));
    const err = await call('agent_list', {}).catch((e) => e);
    expect(err).toBeInstanceOf(ApiError);
    expect(err.code).toBe('network');
  });

  it('tells listeners when the session is gone (401)', async () => {
    const { onUnauthorized } = await import('../lib/transport');
    const seen = vi.fn();
    const off = onUnauthorized(seen);
    vi.stubGlobal(
      'fetch',
      vi
        .fn()
        .mockResolvedValue(
          jsonResponse(401, { code: 'unauthorized', message: 'sign in', field: null, errors: [] }),
        ),
    );
    await expect(call('agent_list', {})).rejects.toMatchObject({ status: 401 });
    expect(seen).toHaveBeenCalledOnce();
    off();
  });

  it('auth.whoami is null when not signed in', async () => {
    vi.stubGlobal(
      'fetch',
      vi.fn().mockResolvedValue(jsonResponse(401, { code: 'unauthorized', message: 'x' })),
    );
    expect(await auth.whoami()).toBeNull();
  });
});

describe('call() in the desktop app', () => {
  it('invokes the single rpc IPC command and never fetches', async () => {
    const invoke = vi.fn().mockResolvedValue({ open: true });
    const fetch = vi.fn();
    desktop(invoke);
    vi.stubGlobal('fetch', fetch);
    expect(isDesktop()).toBe(true);

    const args = { visitor_timezone: 'Asia/Tokyo' };
    await expect(call('hours_check', args)).resolves.toEqual({ open: true });

    // Through @tauri-apps/api's invoke, which passes no IPC options.
    expect(invoke).toHaveBeenCalledWith('rpc', { command: 'hours_check', args }, undefined);
    expect(fetch).not.toHaveBeenCalled();
  });

  it('rejects with the same error shape as the browser', async () => {
    const body = {
      code: 'validation_failed',
      message: 'bad zone',
      field: 'settings.timezone',
      errors: [{ field: 'settings.timezone', code: 'invalid_timezone', message: 'unknown zone' }],
    };
    desktop(vi.fn().mockRejectedValue(body));
    const err = await call('agent_list', {}).catch((e) => e);
    expect(err).toBeInstanceOf(ApiError);
    expect(err.status).toBeNull();
    expect(err.fieldErrors()).toEqual({ 'settings.timezone': 'unknown zone' });
  });

  it('is always the local owner, with nothing to sign in to', async () => {
    desktop(vi.fn());
    expect(await auth.whoami()).toEqual({ kind: 'local' });
    expect(auth.canSignOut()).toBe(false);
  });

  it('is live once subscribed to the shell’s events, and pushes them without polling', async () => {
    vi.useFakeTimers();
    const invoke = vi.fn().mockResolvedValue([]);
    desktop(invoke);
    const seen = vi.fn();
    const states: string[] = [];
    const sub = live.inbox(seen, (s) => states.push(s));
    await vi.advanceTimersByTimeAsync(0);
    expect(events.listen.mock.calls.map((c) => c[0])).toEqual([
      'baton://live',
      'baton://live-lagged',
    ]);
    expect(states).toEqual(['connecting', 'live']);
    expect(seen.mock.calls).toEqual([[{ kind: 'refresh' }]]);

    // Each event the shell emits is a signal; "some were dropped" is a refresh.
    const event: LiveEvent = {
      conversation_id: 7,
      agent_id: 1,
      kind: { type: 'updated', status: 'needs_agent', assignee_id: null, priority: null },
    };
    seen.mockClear();
    events.emit('baton://live', event);
    events.emit('baton://live-lagged', null);
    expect(seen.mock.calls).toEqual([[{ kind: 'event', event }], [{ kind: 'refresh' }]]);

    // Nothing polls meanwhile.
    seen.mockClear();
    await vi.advanceTimersByTimeAsync(60_000);
    expect(seen).not.toHaveBeenCalled();
    expect(invoke).not.toHaveBeenCalled();

    // Closed: both listeners go, and a late event is not delivered.
    sub.close();
    await vi.advanceTimersByTimeAsync(0);
    expect(events.unlisten.mock.calls).toEqual([['baton://live'], ['baton://live-lagged']]);
    events.emit('baton://live', event);
    expect(seen).not.toHaveBeenCalled();
  });

  it('says when it cannot subscribe, retries with backoff, and refreshes once back', async () => {
    vi.useFakeTimers();
    desktop(vi.fn());
    // The first listener is registered, the second refused: the first is taken back.
    events.listen
      .mockImplementationOnce(events.impl)
      .mockRejectedValueOnce({ code: 'internal', message: 'event plugin unavailable' });
    const seen = vi.fn();
    const states: string[] = [];
    const sub = live.inbox(seen, (s) => states.push(s));
    await vi.advanceTimersByTimeAsync(0);
    expect(states).toEqual(['connecting', 'reconnecting']);
    expect(events.unlisten.mock.calls).toEqual([['baton://live']]);
    expect(seen).not.toHaveBeenCalled();

    // Refused again on the next attempt; then it works: a reconnected refresh.
    events.listen.mockRejectedValueOnce(new Error('still unavailable'));
    await vi.advanceTimersByTimeAsync(1300);
    expect(events.listen).toHaveBeenCalledTimes(4);
    expect(events.unlisten.mock.calls).toEqual([['baton://live'], ['baton://live-lagged']]);
    expect(states).toEqual(['connecting', 'reconnecting', 'reconnecting']);
    await vi.advanceTimersByTimeAsync(2500);
    expect(events.listen).toHaveBeenCalledTimes(6);
    expect(states).toEqual(['connecting', 'reconnecting', 'reconnecting', 'live']);
    expect(seen.mock.calls).toEqual([[{ kind: 'refresh', reconnected: true }]]);

    sub.close();
    seen.mockClear();
    events.emit('baton://live-lagged', null);
    await vi.advanceTimersByTimeAsync(10_000);
    expect(seen).not.toHaveBeenCalled();
  });
});

describe('reconnection backoff', () => {
  it('waits 1 s doubling to 30 s, within ±20 % jitter', () => {
    const mid = () => 0.5;
    expect([0, 1, 2, 3, 4, 5, 6, 20].map((n) => reconnectDelay(n, mid))).toEqual([
      1000, 2000, 4000, 8000, 16000, 30000, 30000, 30000,
    ]);
    expect(reconnectDelay(0, () => 0)).toBe(800);
    expect(reconnectDelay(0, () => 0.999999)).toBe(1200);
    expect(reconnectDelay(4, () => 0.999999)).toBe(19200);
    expect(reconnectDelay(5, () => 0.999999)).toBe(30000);
  });

  it('reconnects after a loss, resets the delay on success, and stops when closed', async () => {
    vi.useFakeTimers();
    const attempts: { up: () => void; down: () => void; retry: boolean; closed: boolean }[] = [];
    const ups: boolean[] = [];
    const states: string[] = [];
    const sub = keepConnected(
      (up, down, retry) => {
        const a = { up, down, retry, closed: false };
        attempts.push(a);
        return () => (a.closed = true);
      },
      (reconnected) => ups.push(reconnected),
      (s) => states.push(s),
      () => 0.5,
    );
    expect(attempts).toHaveLength(1);
    attempts[0].up();
    expect(ups).toEqual([false]);

    // Lost: closed at once, retried after 1 s, then 2 s, 4 s while it keeps failing.
    attempts[0].down();
    expect(attempts[0].closed).toBe(true);
    expect(states).toEqual(['connecting', 'live', 'reconnecting']);
    await vi.advanceTimersByTimeAsync(999);
    expect(attempts).toHaveLength(1);
    await vi.advanceTimersByTimeAsync(1);
    expect(attempts).toHaveLength(2);
    expect(attempts[1].retry).toBe(true);
    attempts[1].down();
    await vi.advanceTimersByTimeAsync(1999);
    expect(attempts).toHaveLength(2);
    await vi.advanceTimersByTimeAsync(1);
    expect(attempts).toHaveLength(3);
    attempts[2].down();
    await vi.advanceTimersByTimeAsync(4000);
    expect(attempts).toHaveLength(4);

    // Back: one reconnected signal; a late callback of an old attempt changes nothing.
    attempts[3].up();
    attempts[1].up();
    attempts[2].down();
    expect(ups).toEqual([false, true]);
    expect(states.at(-1)).toBe('live');

    // The next loss starts again from 1 s; retryNow does not wait at all.
    attempts[3].down();
    await vi.advanceTimersByTimeAsync(1000);
    expect(attempts).toHaveLength(5);
    attempts[4].down();
    sub.retryNow();
    expect(attempts).toHaveLength(6);

    sub.close();
    expect(attempts[5].closed).toBe(true);
    attempts[5].down();
    await vi.advanceTimersByTimeAsync(60_000);
    expect(attempts).toHaveLength(6);
  });
});

describe('error mapping', () => {
  it('keeps the first message per field and counts a lone top-level field', () => {
    const e = toApiError({
      code: 'validation_failed',
      message: 'm',
      field: 'a',
      errors: [
        { field: 'a', code: 'x', message: 'first' },
        { field: 'a', code: 'y', message: 'second' },
        { field: 'custom_guidelines[0].name', code: 'required', message: 'required' },
      ],
    });
    expect(fieldErrors(e)).toEqual({ a: 'first', 'custom_guidelines[0].name': 'required' });

    const conflict = toApiError({ code: 'conflict', message: 'taken', field: 'email', errors: [] });
    expect(fieldErrors(conflict)).toEqual({ email: 'taken' });
  });

  it('wraps strings and unknown values', () => {
    expect(toApiError('boom').message).toBe('boom');
    expect(toApiError(undefined, 500).code).toBe('http_error');
    expect(fieldErrors(new Error('x'))).toEqual({});
  });
});

describe('server origin', () => {
  it('is the page origin in a browser and unknown in the desktop app', async () => {
    const { serverOrigin } = await import('../lib/transport');
    vi.stubGlobal('location', { origin: 'https://baton.example.org' });
    expect(serverOrigin()).toBe('https://baton.example.org');
    desktop(vi.fn());
    expect(serverOrigin()).toBeNull();
  });
});
