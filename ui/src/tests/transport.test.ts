import { afterEach, describe, expect, it, vi } from 'vitest';
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

afterEach(() => {
  vi.unstubAllGlobals();
  vi.useRealTimers();
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
    const err = await call('handoff_config_get', { agent_id: null }).catch((e) => e);
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
    vi.stubGlobal('__TAURI_INTERNALS__', { invoke });
    vi.stubGlobal('fetch', fetch);
    expect(isDesktop()).toBe(true);

    const args = { agent_id: null, at: null, visitor_timezone: 'Asia/Tokyo' };
    await expect(call('hours_check', args)).resolves.toEqual({ open: true });

    expect(invoke).toHaveBeenCalledWith('rpc', { command: 'hours_check', args });
    expect(fetch).not.toHaveBeenCalled();
  });

  it('rejects with the same error shape as the browser', async () => {
    const body = {
      code: 'validation_failed',
      message: 'bad zone',
      field: 'settings.timezone',
      errors: [{ field: 'settings.timezone', code: 'invalid_timezone', message: 'unknown zone' }],
    };
    vi.stubGlobal('__TAURI_INTERNALS__', { invoke: vi.fn().mockRejectedValue(body) });
    const err = await call('agent_list', {}).catch((e) => e);
    expect(err).toBeInstanceOf(ApiError);
    expect(err.status).toBeNull();
    expect(err.fieldErrors()).toEqual({ 'settings.timezone': 'unknown zone' });
  });

  it('is always the local owner, with nothing to sign in to', async () => {
    vi.stubGlobal('__TAURI_INTERNALS__', { invoke: vi.fn() });
    expect(await auth.whoami()).toEqual({ kind: 'local' });
    expect(auth.canSignOut()).toBe(false);
  });

  it('polls for live inbox updates, and says when the core stops answering', async () => {
    vi.useFakeTimers();
    const invoke = vi.fn().mockResolvedValue([]);
    vi.stubGlobal('__TAURI_INTERNALS__', { invoke });
    const seen = vi.fn();
    const states: string[] = [];
    const sub = live.inbox(seen, (s) => states.push(s));
    await vi.advanceTimersByTimeAsync(4100);
    expect(seen).toHaveBeenCalledWith({ kind: 'refresh' });
    expect(states).toEqual(['connecting', 'live']);

    // The database goes away: reconnecting, retried with backoff; back: a reconnected refresh.
    invoke.mockRejectedValue({ code: 'internal', message: 'database unreachable' });
    await vi.advanceTimersByTimeAsync(4000);
    expect(states.at(-1)).toBe('reconnecting');
    invoke.mockResolvedValue([]);
    seen.mockClear();
    await vi.advanceTimersByTimeAsync(1300);
    expect(states.at(-1)).toBe('live');
    expect(seen).toHaveBeenCalledWith({ kind: 'refresh', reconnected: true });

    sub.close();
    seen.mockClear();
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
    vi.stubGlobal('__TAURI_INTERNALS__', { invoke: vi.fn() });
    expect(serverOrigin()).toBeNull();
  });
});
