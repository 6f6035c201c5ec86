// Editing one webhook endpoint: load it (or start a new one), keep a draft, tell whether it
// changed, check it, and save it whole. Like ActionEditor (action-editor.svelte.ts): the UI's
// own checks run first and nothing is sent while they find a problem; the server's field errors
// are shown next to their fields until the value they were about changes.
//
// The signing secret is answered once (create, rotate). It is kept here, in memory, only until
// the page that shows it is left: `secret` is what the page shows, `takeSecret` hands a new
// endpoint's secret to the page the form moves to after creating it.

import type { Webhook } from './bindings';
import { webhookCreate, webhookGet, webhookRotateSecret, webhookUpdate } from './api/webhooks';
import { app } from './app.svelte';
import { valueAt } from './checks';
import { focusFirstInvalid } from './config.svelte';
import { plainFieldErrors, problemText } from './errors';
import { allows } from './roles';
import { ApiError } from './transport';
import { checkDraft, emptyDraft, fromWebhook, toInput, type WebhookDraft } from './webhooks';

/** A just-created endpoint's secret, for the page of that endpoint to show once. */
let handed: { id: number; secret: string } | null = null;

function takeSecret(id: number): string | null {
  const s = handed && handed.id === id ? handed.secret : null;
  handed = null;
  return s;
}

export class WebhookEditor {
  /** The endpoint as saved; null for a new one. */
  saved = $state<Webhook | null>(null);
  draft = $state<WebhookDraft | null>(null);
  /** The signing secret just made (create or rotate), shown until the page is left. */
  secret = $state<string | null>(null);
  private baseline = $state('');
  private serverErrors = $state<Record<string, { message: string; was: string }>>({});
  private checked = $state(false);
  private failureKind = $state<'' | 'validation' | 'other'>('');
  private failureText = $state('');
  loading = $state(true);
  saving = $state(false);
  rotating = $state(false);
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
    const out: Record<string, string> = this.checked ? checkDraft(d) : {};
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

  /** `id` null: a new endpoint. */
  async load(id: number | null) {
    this.loading = true;
    this.loadError = '';
    try {
      this.reset(id === null ? null : await webhookGet(id));
      if (id !== null) this.secret = takeSecret(id);
    } catch (e) {
      this.loadError = problemText(e);
    } finally {
      this.loading = false;
    }
  }

  private reset(w: Webhook | null) {
    const d = w ? fromWebhook(w) : emptyDraft();
    this.saved = w;
    this.baseline = JSON.stringify(d);
    this.draft = d;
    this.serverErrors = {};
    this.checked = false;
    this.failureKind = '';
    this.failureText = '';
  }

  discard() {
    if (this.baseline) this.draft = JSON.parse(this.baseline) as WebhookDraft;
    this.serverErrors = {};
    this.checked = false;
    this.failureKind = '';
  }

  /** Saves the draft; true when saved. A new endpoint becomes the saved one (`saved.id`), and
   * its secret is handed to its own page. */
  async save(): Promise<boolean> {
    const d = this.draft;
    if (!d || this.readOnly) return false;
    this.failureKind = '';
    this.failureText = '';
    if (Object.keys(checkDraft(d)).length) {
      this.checked = true;
      this.failureKind = 'validation';
      void focusFirstInvalid();
      return false;
    }
    const input = this.input();
    if (!input) return false;
    this.saving = true;
    try {
      let w: Webhook;
      if (this.saved) {
        w = await webhookUpdate(this.saved.id, input);
      } else {
        const made = await webhookCreate(input);
        w = made.webhook;
        handed = { id: w.id, secret: made.secret };
        this.secret = made.secret;
      }
      this.reset(w);
      app.toast(`Saved ${w.name}`);
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

  /** A new signing secret (shown once); the saved endpoint gets its rotation's end. Throws
   * what went wrong. */
  async rotate() {
    if (!this.saved || this.readOnly) return;
    this.rotating = true;
    try {
      const made = await webhookRotateSecret(this.saved.id);
      this.secret = made.secret;
      // Only the rotation's fields change: a draft being edited stays.
      this.saved = made.webhook;
    } finally {
      this.rotating = false;
    }
  }

  /** Errors on fields the editor does not show, so they are never hidden. */
  otherErrors(shown: (path: string) => boolean): [string, string][] {
    return Object.entries(this.errors).filter(([k]) => !shown(k));
  }
}
