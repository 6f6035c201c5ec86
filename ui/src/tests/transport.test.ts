import { afterEach, describe, expect, it, vi } from 'vitest';
import { ApiError, auth, call, fieldErrors, isDesktop, live, toApiError } from '../lib/transport';

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

  it('polls for live inbox updates', () => {
    vi.useFakeTimers();
    vi.stubGlobal('__TAURI_INTERNALS__', { invoke: vi.fn() });
    const seen = vi.fn();
    const stop = live.inbox(seen);
    vi.advanceTimersByTime(4100);
    expect(seen).toHaveBeenCalledWith({ kind: 'refresh' });
    stop();
    seen.mockClear();
    vi.advanceTimersByTime(10_000);
    expect(seen).not.toHaveBeenCalled();
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
