// One live subscription for the whole app (one EventSource in a browser, one poller in the
// desktop app), fanned out to the pages that listen, plus the inbox counts for the sidebar.

import type { InboxCounts, InboxQuery } from './bindings';
import { app } from './app.svelte';
import { call, live, type LiveSignal } from './transport';

/** An inbox query with every field present (the generated type lists them all). */
export function inboxQuery(q: Partial<InboxQuery> = {}): InboxQuery {
  return {
    view: null,
    agent_id: null,
    priority: null,
    routing_profile_id: null,
    from: null,
    to: null,
    search: null,
    limit: null,
    cursor: null,
    as_operator_id: app.me?.id ?? null,
    ...q,
  };
}

class LiveHub {
  counts = $state<InboxCounts | null>(null);
  private listeners = new Set<(s: LiveSignal) => void>();
  private stop: (() => void) | null = null;
  private timer: ReturnType<typeof setTimeout> | null = null;

  start() {
    if (this.stop) return;
    this.stop = live.inbox((s) => {
      this.listeners.forEach((f) => f(s));
      this.refreshCountsSoon();
    });
    void this.refreshCounts();
  }

  halt() {
    this.stop?.();
    this.stop = null;
  }

  listen(f: (s: LiveSignal) => void): () => void {
    this.listeners.add(f);
    return () => this.listeners.delete(f);
  }

  refreshCountsSoon() {
    if (this.timer) return;
    this.timer = setTimeout(() => {
      this.timer = null;
      void this.refreshCounts();
    }, 250);
  }

  async refreshCounts() {
    try {
      const page = await call('inbox_list', inboxQuery({ view: 'needs_agent', limit: 1 }));
      this.counts = page.counts;
    } catch {
      // Counts are a convenience; the inbox page shows errors.
    }
  }
}

export const hub = new LiveHub();
