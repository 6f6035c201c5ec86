// The one way the UI reaches the core. In the desktop app (Tauri) every command goes through the
// single `rpc` IPC command; in a browser through `POST /v1/rpc/{command}` with the session cookie.
// Both hosts fail with the same error body: { code, message, field, errors: [{field, code, message}] }.
// Components import `call`, `auth` and `live` from here and never learn which host they run in.

import type { Commands, FieldError, LiveEvent, Operator } from './bindings';

type Invoke = (cmd: string, args?: Record<string, unknown>) => Promise<unknown>;
type TauriInternals = { invoke: Invoke };

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

function tauri(): TauriInternals | undefined {
  const t = (globalThis as { __TAURI_INTERNALS__?: TauriInternals }).__TAURI_INTERNALS__;
  return t && typeof t.invoke === 'function' ? t : undefined;
}

/** Which host runs the UI. Only this module (and the shell around the pages) should care. */
export function isDesktop(): boolean {
  return tauri() !== undefined;
}

/** Whether this host has desktop settings (its own database, an in-process visitor server):
 * the desktop app only; the commands are refused over HTTP. */
export function hasDesktopSettings(): boolean {
  return tauri() !== undefined;
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
  const body = await readJson(res);
  if (!res.ok) {
    const err = toApiError(body, res.status);
    if (res.status === 401) unauthorizedListeners.forEach((f) => f());
    throw err;
  }
  return body;
}

/** Runs core command `cmd` with `args`; the result type comes from the generated bindings. */
export async function call<K extends keyof Commands>(
  cmd: K,
  args: Commands[K]['args'],
): Promise<Commands[K]['result']> {
  const t = tauri();
  if (t) {
    try {
      return (await t.invoke('rpc', { command: cmd, args })) as Commands[K]['result'];
    } catch (e) {
      throw toApiError(e);
    }
  }
  return (await http('/v1/rpc/' + cmd, {
    method: 'POST',
    body: JSON.stringify(args),
  })) as Commands[K]['result'];
}

/** The address a website reaches this Baton server at (for the widget snippet), when the UI
 * knows it: in a browser, the page's own origin; in the desktop app, unknown. */
export function serverOrigin(): string | null {
  if (tauri() || typeof location === 'undefined') return null;
  return location.origin;
}

/** Who is using the app: the local owner of the desktop app, or a signed-in operator. */
export type Identity = { kind: 'local' } | { kind: 'operator'; operator: Operator };

export const auth = {
  /** Null when nobody is signed in (browser only; the desktop app is always the local owner). */
  async whoami(): Promise<Identity | null> {
    if (tauri()) return { kind: 'local' };
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
    if (tauri()) return;
    await http('/v1/auth/logout', { method: 'POST' });
  },
  /** Whether this host has a sign-in at all. */
  canSignOut(): boolean {
    return !tauri();
  },
};

/** What a live subscription delivers: an event, or "reload, you may have missed something". */
export type LiveSignal = { kind: 'event'; event: LiveEvent } | { kind: 'refresh' };

export const DESKTOP_POLL_MS = 4000;

const LIVE_EVENTS = ['message', 'visitor', 'updated', 'handoff'] as const;

export const live = {
  /** Inbox changes. Browser: server-sent events from `/v1/inbox/events`. Desktop: there is no
   * event channel over IPC yet, so this polls (a `refresh` signal every few seconds) and the
   * inbox reloads with `inbox_list`. Returns the unsubscribe function. */
  inbox(onSignal: (s: LiveSignal) => void): () => void {
    if (tauri() || typeof EventSource === 'undefined') {
      const timer = setInterval(() => onSignal({ kind: 'refresh' }), DESKTOP_POLL_MS);
      return () => clearInterval(timer);
    }
    const es = new EventSource('/v1/inbox/events', { withCredentials: true });
    for (const name of LIVE_EVENTS) {
      es.addEventListener(name, (m) => {
        try {
          onSignal({ kind: 'event', event: JSON.parse((m as MessageEvent).data) as LiveEvent });
        } catch {
          onSignal({ kind: 'refresh' });
        }
      });
    }
    // The server dropped events for a slow client, or the stream reconnected: reload.
    es.addEventListener('lagged', () => onSignal({ kind: 'refresh' }));
    es.addEventListener('open', () => onSignal({ kind: 'refresh' }));
    return () => es.close();
  },
};
