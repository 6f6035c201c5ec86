// Hash routing (#/inbox/42) with a guard: while a page has unsaved changes, leaving it asks first.

import { app } from './app.svelte';

export type Route = { page: string; param: string | null };

export function parseHash(hash: string): Route {
  const parts = hash.replace(/^#\/?/, '').split('/').filter(Boolean);
  return { page: parts[0] ?? 'inbox', param: parts[1] ? decodeURIComponent(parts[1]) : null };
}

class Router {
  route = $state<Route>(parseHash(typeof location === 'undefined' ? '' : location.hash));
  /** A navigation (or other action) held back by unsaved changes, waiting for the answer. */
  blocked = $state<string | (() => void) | null>(null);
  private current = typeof location === 'undefined' ? '' : location.hash;

  start() {
    window.addEventListener('hashchange', () => this.changed());
    window.addEventListener('beforeunload', (e) => {
      if (app.unsaved) {
        e.preventDefault();
        e.returnValue = '';
      }
    });
  }

  private changed() {
    const next = location.hash;
    if (next === this.current) return;
    if (app.unsaved) {
      // Put the address back without a new history entry and ask.
      history.replaceState(null, '', this.current || '#/');
      this.blocked = next;
      return;
    }
    this.current = next;
    this.route = parseHash(next);
  }

  go(hash: string) {
    if (!hash.startsWith('#')) hash = '#' + hash;
    if (hash === location.hash) return;
    location.hash = hash;
  }

  /** Runs `action` now, or after the user agrees to drop unsaved changes. */
  guard(action: () => void) {
    if (app.unsaved) this.blocked = action;
    else action();
  }

  /** The user chose to leave and drop the changes. */
  discardAndLeave() {
    const to = this.blocked;
    this.blocked = null;
    app.unsaved = null;
    if (typeof to === 'function') to();
    else if (to !== null) this.go(to);
  }

  stay() {
    this.blocked = null;
  }
}

export const router = new Router();
