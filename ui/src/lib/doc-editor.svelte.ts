// Editing one settings document saved whole (an agent's button groups, its handover
// channels): load it, keep a draft, tell whether it changed, check it, save it. The UI's own
// checks run first and nothing is sent while they find a problem; the server's field errors
// are shown next to their fields until the value they were about changes. The shape the save
// bar (components/SaveBar.svelte) drives.

import { app } from './app.svelte';
import { valueAt } from './checks';
import { focusFirstInvalid } from './config.svelte';
import { plainFieldError, problemText } from './errors';
import { allows } from './roles';
import type { FieldError } from './bindings';
import { ApiError } from './transport';

export type DocSource<T> = {
  load: () => Promise<T>;
  save: (doc: T) => Promise<T>;
  /** Field path (as the server names it) → message; empty when it may be sent. */
  check: (doc: T) => Record<string, string>;
  /** The document as sent, when the draft is shaped otherwise (the server's error paths
   * point into it). Default: the draft itself. */
  input?: (doc: T) => unknown;
  /** A server field error in words. Default: `plainFieldError`. */
  fieldError?: (fe: FieldError, value: unknown) => string;
};

export class DocEditor<T> {
  draft = $state<T | null>(null);
  private baseline = $state('');
  private serverErrors = $state<Record<string, { message: string; was: string }>>({});
  private checked = $state(false);
  private failureKind = $state<'' | 'validation' | 'other'>('');
  private failureText = $state('');
  loading = $state(true);
  saving = $state(false);
  loadError = $state('');

  readOnly = $derived(!allows(app.identity, 'manage_config'));
  dirty = $derived(this.draft !== null && JSON.stringify(this.draft) !== this.baseline);

  errors = $derived.by((): Record<string, string> => {
    const d = this.draft;
    if (!d) return {};
    const out: Record<string, string> = this.checked ? this.source.check(d) : {};
    const now = this.source.input ? this.source.input(d) : d;
    for (const [path, e] of Object.entries(this.serverErrors)) {
      if (path in out) continue;
      if (JSON.stringify(valueAt(now, path) ?? null) === e.was) out[path] = e.message;
    }
    return out;
  });

  failure = $derived.by((): string => {
    if (this.failureKind === 'other') return this.failureText;
    if (this.failureKind !== 'validation') return '';
    const n = Object.keys(this.errors).length;
    if (n === 0) return '';
    return `Nothing was saved: ${n} field${n === 1 ? ' needs' : 's need'} fixing.`;
  });

  constructor(private source: DocSource<T>) {}

  async load() {
    this.loading = true;
    this.loadError = '';
    try {
      this.reset(await this.source.load());
    } catch (e) {
      this.loadError = problemText(e);
    } finally {
      this.loading = false;
    }
  }

  private reset(d: T) {
    this.baseline = JSON.stringify(d);
    this.draft = d;
    this.serverErrors = {};
    this.checked = false;
    this.failureKind = '';
    this.failureText = '';
  }

  discard() {
    if (this.baseline) this.draft = JSON.parse(this.baseline) as T;
    this.serverErrors = {};
    this.checked = false;
    this.failureKind = '';
  }

  async save(): Promise<boolean> {
    const d = this.draft;
    if (!d || this.readOnly) return false;
    this.failureKind = '';
    this.failureText = '';
    if (Object.keys(this.source.check(d)).length) {
      this.checked = true;
      this.failureKind = 'validation';
      void focusFirstInvalid();
      return false;
    }
    this.saving = true;
    const draft = JSON.parse(JSON.stringify(d)) as T;
    const sent = this.source.input ? this.source.input(draft) : draft;
    const words = this.source.fieldError ?? plainFieldError;
    try {
      this.reset(await this.source.save(draft));
      app.toast('Saved');
      return true;
    } catch (e) {
      const server: Record<string, { message: string; was: string }> = {};
      if (e instanceof ApiError) {
        for (const fe of e.errors) {
          if (fe.field in server) continue;
          const now = valueAt(sent, fe.field);
          server[fe.field] = {
            message: words(fe, now),
            was: JSON.stringify(now ?? null),
          };
        }
        if (e.field && e.errors.length === 0)
          server[e.field] = {
            message: problemText(e),
            was: JSON.stringify(valueAt(sent, e.field) ?? null),
          };
      }
      this.serverErrors = server;
      this.checked = true;
      if (e instanceof ApiError && (e.code === 'validation_failed' || e.field)) {
        this.failureKind = 'validation';
        void focusFirstInvalid();
      } else {
        this.failureKind = 'other';
        this.failureText = problemText(e);
      }
      return false;
    } finally {
      this.saving = false;
    }
  }

  otherErrors(shown: (path: string) => boolean): [string, string][] {
    return Object.entries(this.errors).filter(([k]) => !shown(k));
  }
}
