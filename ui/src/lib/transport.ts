// The one way the UI reaches the core. In the desktop app (Tauri) every command goes through the
// single `rpc` IPC command; in a browser through `POST /v1/rpc/{command}` with the session cookie.
// Both hosts fail with the same error body: { code, message, field, errors: [{field, code, message}] }.
// Only this module knows the host: the typed modules in `api/` build on `call`, and pages use
// those, `auth` and `live` without learning which host they run in.

import { invoke, isTauri } from '@tauri-apps/api/core';
import { listen, type UnlistenFn } from '@tauri-apps/api/event';
import type { Commands, FieldError, LiveEvent, Operator } from './bindings';
import type { DesktopCommands } from './desktop-bindings';

/** The core's commands, and the desktop shell's own (which any other host refuses). */
type AllCommands = Commands & DesktopCommands;

/** The error every failed call rejects with. */
export class ApiError extends Error {
  readonly code: string;
  readonly field: string | null;
  readonly errors: FieldError[];
  /** HTTP status in a browser; null in the desktop app. */
  readonly status: number | null;

  constructor(body: {
    code: string;
    message: string;
    field?: string | null;
    errors?: FieldError[];
    status?: number | null;
  }) {
    super(body.message);
    this.name = 'ApiError';
    this.code = body.code;
    this.field = body.field ?? null;
    this.errors = body.errors ?? [];
    this.status = body.status ?? null;
  }

  /** Field path → first message, for showing each problem next to its field. */
  fieldErrors(): Record<string, string> {
    return fieldErrors(this);
  }
}

/** Which host runs the UI. Only this module (and the shell around the pages) should care. */
export function isDesktop(): boolean {
  return isTauri();
}

/** Whether this host has desktop settings (its own database, an in-process visitor server):
 * the desktop app only; the commands are refused over HTTP. */
export function hasDesktopSettings(): boolean {
  return isTauri();
}

function isErrorBody(v: unknown): v is { code: string; message: string } {
  return (
    typeof v === 'object' &&
    v !== null &&
    typeof (v as { code?: unknown }).code === 'string' &&
    typeof (v as { message?: unknown }).message === 'string'
  );
}

/** Turns whatever a host rejected with into an ApiError. */
export function toApiError(raw: unknown, status: number | null = null): ApiError {
  if (raw instanceof ApiError) return raw;
  if (isErrorBody(raw)) {
    const b = raw as { code: string; message: string; field?: unknown; errors?: unknown };
    return new ApiError({
      code: b.code,
      message: b.message,
      field: typeof b.field === 'string' ? b.field : null,
      errors: Array.isArray(b.errors) ? (b.errors as FieldError[]) : [],
      status,
    });
  }
  if (status === 401) {
    return new ApiError({ code: 'unauthorized', message: 'Please sign in again.', status });
  }
  const message =
    typeof raw === 'string'
      ? raw
      : raw instanceof Error
        ? raw.message
        : status
          ? `The server answered ${status}.`
          : 'Something went wrong.';
  return new ApiError({ code: status ? 'http_error' : 'internal', message, status });
}

/** Field path → first message. A top-level `field` without `errors` (a conflict on `id`,
 * a bad request) counts as one field error too. */
export function fieldErrors(e: unknown): Record<string, string> {
  if (!(e instanceof ApiError)) return {};
  const out: Record<string, string> = {};
  for (const fe of e.errors) {
    if (!(fe.field in out)) out[fe.field] = fe.message;
  }
  if (e.field && !(e.field in out) && e.errors.length === 0) out[e.field] = e.message;
  return out;
}

const unauthorizedListeners = new Set<() => void>();
const serverAnswered = new Set<() => void>();

/** Called when the server says the session is gone (browser only): the app shows sign-in. */
export function onUnauthorized(f: () => void): () => void {
  unauthorizedListeners.add(f);
  return () => unauthorizedListeners.delete(f);
}

async function readJson(res: Response): Promise<unknown> {
  const text = await res.text();
  if (!text) return null;
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}

async function http(path: string, init: RequestInit): Promise<unknown> {
  let res: Response;
  try {
    res = await fetch(path, {
      credentials: 'same-origin',
      ...init,
      headers: { 'Content-Type': 'application/json', ...(init.headers ?? {}) },
    });
  } catch {
    throw new ApiError({
      code: 'network',
      message: 'Cannot reach the Baton server. Check that it is running.',
    });
  }
  // The server answers: a live connection waiting to reconnect need not wait any more.
  serverAnswered.forEach((f) => f());
  const body = await readJson(res);
  if (!res.ok) {
    const err = toApiError(body, res.status);
    if (res.status === 401) unauthorizedListeners.forEach((f) => f());
    throw err;
  }
  return body;
}

/** Runs command `cmd` with `args`; the result type comes from the generated bindings. */
export async function call<K extends keyof AllCommands>(
  cmd: K,
  args: AllCommands[K]['args'],
): Promise<AllCommands[K]['result']> {
  if (isTauri()) {
    try {
      return await invoke<AllCommands[K]['result']>('rpc', { command: cmd, args });
    } catch (e) {
      throw toApiError(e);
    }
  }
  return (await http('/v1/rpc/' + cmd, {
    method: 'POST',
    body: JSON.stringify(args),
  })) as AllCommands[K]['result'];
}

/** The address a website reaches this Baton server at (for the widget snippet), when the UI
 * knows it: in a browser, the page's own origin; in the desktop app, unknown. */
export function serverOrigin(): string | null {
  if (isTauri() || typeof location === 'undefined') return null;
  return location.origin;
}

/** Who is using the app: the local owner of the desktop app, or a signed-in operator. */
export type Identity = { kind: 'local' } | { kind: 'operator'; operator: Operator };

export const auth = {
  /** Null when nobody is signed in (browser only; the desktop app is always the local owner). */
  async whoami(): Promise<Identity | null> {
    if (isTauri()) return { kind: 'local' };
    try {
      const operator = (await http('/v1/auth/me', { method: 'GET' })) as Operator;
      return { kind: 'operator', operator };
    } catch (e) {
      if (e instanceof ApiError && (e.status === 401 || e.status === 400)) return null;
      throw e;
    }
  },
  async signIn(email: string, password: string): Promise<Identity> {
    const s = (await http('/v1/auth/login', {
      method: 'POST',
      body: JSON.stringify({ email, password }),
    })) as { operator: Operator };
    return { kind: 'operator', operator: s.operator };
  },
  async signOut(): Promise<void> {
    if (isTauri()) return;
    await http('/v1/auth/logout', { method: 'POST' });
  },
  /** Whether this host has a sign-in at all. */
  canSignOut(): boolean {
    return !isTauri();
  },
};

/** What a live subscription delivers: an event, or "reload, you may have missed something"
 * (`reconnected`: the connection was lost and is back, so anything may have been missed). */
export type LiveSignal =
  { kind: 'event'; event: LiveEvent } | { kind: 'refresh'; reconnected?: boolean };

/** The state of a live subscription: connecting for the first time, live, or lost and
 * retrying with backoff. */
export type LiveState = 'connecting' | 'live' | 'reconnecting';

/** A running live subscription. */
export type LiveSubscription = {
  /** Stops it for good. */
  close(): void;
  /** While reconnecting: try again now instead of waiting for the next attempt. */
  retryNow(): void;
};

/** The desktop shell's live events: each payload is a `LiveEvent`, as on the browser's SSE
 * stream; `DESKTOP_LAGGED_EVENT` (no payload) says events were dropped, so reload. */
export const DESKTOP_LIVE_EVENT = 'baton://live';
export const DESKTOP_LAGGED_EVENT = 'baton://live-lagged';
export const RECONNECT_MIN_MS = 1000;
export const RECONNECT_MAX_MS = 30_000;

/** How long to wait before reconnection attempt `attempt` (0 = the first after a loss): 1 s
 * doubling to 30 s, with ±20 % jitter (never above 30 s) so that many clients do not all
 * come back in the same instant. `random` is in [0, 1). */
export function reconnectDelay(attempt: number, random: () => number = Math.random): number {
  const base = RECONNECT_MIN_MS * 2 ** Math.min(Math.max(0, attempt), 10);
  return Math.round(
    Math.min(RECONNECT_MAX_MS, Math.min(base, RECONNECT_MAX_MS) * (0.8 + 0.4 * random())),
  );
}

type Attempt = (up: () => void, down: () => void, retry: boolean) => () => void;

/** Keeps a connection open: `attempt` opens one (calling `up` once it works and `down` when it
 * fails or drops, and returning how to close it); after a loss it is opened again after
 * [reconnectDelay], the delay reset by every success. `onUp(reconnected)` runs on each success,
 * `onState` on each change of state. The browser coming back online, or any answer from the
 * server to another call, retries at once. */
export function keepConnected(
  attempt: Attempt,
  onUp: (reconnected: boolean) => void,
  onState: (s: LiveState) => void = () => {},
  random: () => number = Math.random,
): LiveSubscription {
  let closed = false;
  let failures = 0;
  let lost = false;
  let current = 0;
  let closeConn: (() => void) | null = null;
  let timer: ReturnType<typeof setTimeout> | null = null;

  function open() {
    timer = null;
    if (closed) return;
    const id = ++current;
    let isUp = false;
    closeConn = attempt(
      () => {
        if (closed || id !== current || isUp) return;
        isUp = true;
        failures = 0;
        const reconnected = lost;
        lost = false;
        onState('live');
        onUp(reconnected);
      },
      () => {
        if (closed || id !== current) return;
        current++;
        closeConn?.();
        closeConn = null;
        lost = true;
        onState('reconnecting');
        timer = setTimeout(open, reconnectDelay(failures++, random));
      },
      lost,
    );
  }

  const online = () => {
    if (timer) {
      clearTimeout(timer);
      open();
    }
  };
  globalThis.addEventListener?.('online', online);
  serverAnswered.add(online);
  onState('connecting');
  open();
  return {
    close() {
      closed = true;
      if (timer) clearTimeout(timer);
      timer = null;
      closeConn?.();
      closeConn = null;
      globalThis.removeEventListener?.('online', online);
      serverAnswered.delete(online);
    },
    retryNow: online,
  };
}

const LIVE_EVENTS = ['message', 'visitor', 'updated', 'handoff'] as const;

/** Unlistening after the window is gone (or the IPC failing) is nothing to report. */
function unlistenQuietly(f: UnlistenFn) {
  void Promise.resolve()
    .then(f)
    .catch(() => {});
}

export const live = {
  /** Inbox changes. Browser: server-sent events from `/v1/inbox/events`. Desktop: the same
   * events, emitted by the shell as Tauri events (`DESKTOP_LIVE_EVENT`, and
   * `DESKTOP_LAGGED_EVENT` when some were dropped). Live once subscribed, the first signal
   * being a refresh. A lost connection (the server restarting, listening refused) is retried
   * with backoff, `onState` says so, and the first signal once it is back is
   * `{kind: 'refresh', reconnected: true}`. */
  inbox(
    onSignal: (s: LiveSignal) => void,
    onState: (s: LiveState) => void = () => {},
  ): LiveSubscription {
    const up = (reconnected: boolean) =>
      onSignal(reconnected ? { kind: 'refresh', reconnected } : { kind: 'refresh' });
    if (isTauri()) {
      return keepConnected(
        (ok, down) => {
          let stopped = false;
          let unlisten: UnlistenFn[] = [];
          const event = (s: LiveSignal) => !stopped && onSignal(s);
          Promise.allSettled([
            listen<LiveEvent>(DESKTOP_LIVE_EVENT, (e) =>
              event({ kind: 'event', event: e.payload }),
            ),
            // The shell dropped events for this window: reload.
            listen<null>(DESKTOP_LAGGED_EVENT, () => event({ kind: 'refresh' })),
          ]).then((results) => {
            const fns = results.flatMap((r) => (r.status === 'fulfilled' ? [r.value] : []));
            if (stopped || fns.length < results.length) {
              fns.forEach(unlistenQuietly);
              if (!stopped) down();
              return;
            }
            unlisten = fns;
            ok();
          });
          return () => {
            stopped = true;
            unlisten.forEach(unlistenQuietly);
            unlisten = [];
          };
        },
        up,
        onState,
      );
    }
    return keepConnected(
      (ok, down, retry) => {
        let es: EventSource | null = null;
        let stopped = false;
        const connect = () => {
          if (stopped) return;
          es = new EventSource('/v1/inbox/events', { withCredentials: true });
          for (const name of LIVE_EVENTS) {
            es.addEventListener(name, (m) => {
              try {
                onSignal({
                  kind: 'event',
                  event: JSON.parse((m as MessageEvent).data) as LiveEvent,
                });
              } catch {
                onSignal({ kind: 'refresh' });
              }
            });
          }
          // The server dropped events for a slow client: reload.
          es.addEventListener('lagged', () => onSignal({ kind: 'refresh' }));
          // The session ended (signed out elsewhere, revoked): show sign-in, do not retry.
          es.addEventListener('signed_out', () => {
            stopped = true;
            es?.close();
            unauthorizedListeners.forEach((f) => f());
          });
          es.addEventListener('open', ok);
          // Dropped or refused: we reconnect ourselves (with backoff, and knowing it happened)
          // rather than let the browser retry on its own schedule.
          es.addEventListener('error', () => !stopped && down());
        };
        if (retry) {
          // Ask first whether the server is back and the session still valid (a 401 shows
          // sign-in through the unauthorized listeners).
          http('/v1/auth/me', { method: 'GET' }).then(connect, () => !stopped && down());
        } else {
          connect();
        }
        return () => {
          stopped = true;
          es?.close();
        };
      },
      up,
      onState,
    );
  },
};
