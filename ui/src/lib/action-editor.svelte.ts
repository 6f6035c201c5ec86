// Editing one HTTP request action: load it (or start a new one), keep a draft, tell whether it
// changed, check it, and save it whole. Like ConfigEditor (config.svelte.ts): the UI's own
// checks run first and nothing is sent while they find a problem; the server's field errors are
// shown next to their fields until the value they were about changes.

import type { Action } from './bindings';
import { actionCreate, actionGet, actionUpdate } from './api/actions';
import { app } from './app.svelte';
import { checkDraft, emptyDraft, fromAction, toInput, type ActionDraft } from './actions';
import { valueAt } from './checks';
import { focusFirstInvalid } from './config.svelte';
import { plainFieldErrors, problemText } from './errors';
import { allows } from './roles';
import { ApiError } from './transport';

export class ActionEditor {
  /** The action as saved; null for a new one. */
  saved = $state<Action | null>(null);
  draft = $state<ActionDraft | null>(null);
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

  /** What a save would send now (the server's paths point into it). */
  private input() {
    return this.draft ? toInput(this.draft, this.saved?.agent_id ?? app.agentId) : null;
  }

  errors = $derived.by((): Record<string, string> => {
    const d = this.draft;
    if (!d) return {};
    const out: Record<string, string> = this.checked
      ? checkDraft(d, this.saved?.auth.has_secret ?? false)
      : {};
    const input = this.input();
    for (const [path, e] of Object.entries(this.serverErrors)) {
      if (path in out) continue;
      if (JSON.stringify(valueAt(input, path) ?? null) === e.was) out[path] = e.message;
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

  /** `id` null: a new action. */
  async load(id: number | null) {
    this.loading = true;
    this.loadError = '';
    try {
      this.reset(id === null ? null : await actionGet(id));
    } catch (e) {
      this.loadError = problemText(e);
    } finally {
      this.loading = false;
    }
  }

  private reset(a: Action | null) {
    const d = a ? fromAction(a) : emptyDraft();
    this.saved = a;
    this.baseline = JSON.stringify(d);
    this.draft = d;
    this.serverErrors = {};
    this.checked = false;
    this.failureKind = '';
    this.failureText = '';
  }

  discard() {
    if (this.baseline) this.draft = JSON.parse(this.baseline) as ActionDraft;
    this.serverErrors = {};
    this.checked = false;
    this.failureKind = '';
  }

  /** Saves the draft; true when saved. A new action becomes the saved one (`saved.id`). */
  async save(): Promise<boolean> {
    const d = this.draft;
    if (!d || this.readOnly) return false;
    this.failureKind = '';
    this.failureText = '';
    if (Object.keys(checkDraft(d, this.saved?.auth.has_secret ?? false)).length) {
      this.checked = true;
      this.failureKind = 'validation';
      void focusFirstInvalid();
      return false;
    }
    const input = this.input();
    if (!input) return false;
    this.saving = true;
    try {
      const a = this.saved ? await actionUpdate(this.saved.id, input) : await actionCreate(input);
      this.reset(a);
      app.toast(`Saved ${a.name}`);
      return true;
    } catch (e) {
      const now = this.input();
      const plain = plainFieldErrors(e, (path) => valueAt(now, path));
      const server: Record<string, { message: string; was: string }> = {};
      for (const [path, message] of Object.entries(plain)) {
        server[path] = { message, was: JSON.stringify(valueAt(now, path) ?? null) };
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

  /** Errors on fields the editor does not show, so they are never hidden. */
  otherErrors(shown: (path: string) => boolean): [string, string][] {
    return Object.entries(this.errors).filter(([k]) => !shown(k));
  }
}
