// One live subscription for the whole app (one EventSource in a browser, the shell's events in
// the desktop app), fanned out to the pages that listen, plus the inbox counts for the sidebar and
// the state of the connection (the shell shows "Reconnecting…" while it is lost). When it comes
// back, listeners get `{kind: 'refresh', reconnected: true}`: reload whatever is shown.

import type { InboxCounts, InboxQuery } from './bindings';
import { app } from './app.svelte';
import { inboxList } from './api/inbox';
import { live, type LiveSignal, type LiveState, type LiveSubscription } from './transport';

/** An inbox query as the user works the inbox: "mine" is the operator they act as. */
export function inboxQuery(q: InboxQuery = {}): InboxQuery {
  return { as_operator_id: app.me?.id, ...q };
}

class LiveHub {
  counts = $state<InboxCounts | null>(null);
  /** `reconnecting` while the live connection is lost (retried with backoff). */
  connection = $state<LiveState>('connecting');
  private listeners = new Set<(s: LiveSignal) => void>();
  private sub: LiveSubscription | null = null;
  private timer: ReturnType<typeof setTimeout> | null = null;

  start() {
    if (this.sub) return;
    this.sub = live.inbox(
      (s) => {
        this.listeners.forEach((f) => f(s));
        this.refreshCountsSoon();
      },
      (state) => (this.connection = state),
    );
    void this.refreshCounts();
  }

  halt() {
    this.sub?.close();
    this.sub = null;
    this.connection = 'connecting';
  }

  /** While reconnecting: try at once rather than at the next scheduled attempt. */
  retryNow() {
    this.sub?.retryNow();
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
      const page = await inboxList(inboxQuery({ view: 'needs_agent', limit: 1 }));
      this.counts = page.counts;
    } catch {
      // Counts are a convenience; the inbox page shows errors.
    }
  }
}

export const hub = new LiveHub();
