// Editing an agent's handoff configuration: load it, keep a draft, tell whether it changed,
// and save it back whole (PUT semantics: items keep their ids, new items have none, missing
// ones are deleted). Shared by the Handoff, Working hours and Topic routing pages.

import type {
  AvailabilityExceptionInput,
  AvailabilitySlotInput,
  CustomGuidelineInput,
  GenericGuidelineInput,
  HandoffConfiguration,
  HandoffConfigurationUpdate,
  InformationFieldInput,
  RoutingProfileInput,
  Settings,
} from './bindings';
import { tick } from 'svelte';
import { app } from './app.svelte';
import { checkDraft, valueAt, watchedPath } from './checks';
import { plainFieldErrors, problemText } from './errors';
import { allows } from './roles';
import { handoffConfigGet, handoffConfigUpdate } from './api/handoff';
import { ApiError } from './transport';

/** The configuration as the pages edit it: every section present, new items without ids. */
export type Draft = {
  settings: Settings;
  availability: AvailabilitySlotInput[];
  availability_exceptions: AvailabilityExceptionInput[];
  generic_guidelines: GenericGuidelineInput[];
  custom_guidelines: CustomGuidelineInput[];
  routing_profiles: RoutingProfileInput[];
  information_to_gather: InformationFieldInput[];
};

export function toDraft(c: HandoffConfiguration): Draft {
  return JSON.parse(JSON.stringify(c)) as Draft;
}

/** The whole document for `handoff_config_update`. */
export function toUpdate(d: Draft): HandoffConfigurationUpdate {
  return JSON.parse(JSON.stringify(d)) as HandoffConfigurationUpdate;
}

/** Errors whose path starts with `prefix[i]`, by index: `indexed(e, 'settings.keywords')`. */
export function indexed(errors: Record<string, string>, prefix: string): Record<number, string> {
  const out: Record<number, string> = {};
  const esc = prefix.replace(/[.[\]]/g, (c) => '\\' + c);
  const re = new RegExp(`^${esc}\\[(\\d+)\\]$`);
  for (const [k, v] of Object.entries(errors)) {
    const m = re.exec(k);
    if (m) out[+m[1]] = v;
  }
  return out;
}

/** Moves to the first field marked invalid on the page: scrolled to the middle of the window
 * (so the sticky save bar never covers it) and focused. */
export async function focusFirstInvalid() {
  await tick();
  const el = document.querySelector<HTMLElement>('main [aria-invalid="true"]');
  if (!el) return;
  el.scrollIntoView({ block: 'center' });
  el.focus({ preventScroll: true });
}

export class ConfigEditor {
  draft = $state<Draft | null>(null);
  private baseline = $state('');
  /** The server's field errors, each with the value its field (or period) had when it was
   * reported: an error is shown until that value changes. */
  private serverErrors = $state<Record<string, { message: string; was: string }>>({});
  /** After a Save with problems, the UI's own checks run on every edit. */
  private checked = $state(false);
  private failureKind = $state<'' | 'validation' | 'other'>('');
  private failureText = $state('');
  loading = $state(true);
  saving = $state(false);
  loadError = $state('');

  /** Operators who may not change the configuration see it read-only (src/auth.rs). */
  readOnly = $derived(!allows(app.identity, 'manage_config'));

  /** Called after each successful save (e.g. to refresh a preview). */
  onsaved: (() => void) | null = null;

  dirty = $derived(this.draft !== null && JSON.stringify(this.draft) !== this.baseline);

  /** Field path → plain message, for every field still invalid. Fixing a field clears it. */
  errors = $derived.by((): Record<string, string> => {
    const d = this.draft;
    if (!d) return {};
    const out: Record<string, string> = this.checked ? checkDraft(d) : {};
    for (const [path, e] of Object.entries(this.serverErrors)) {
      if (path in out) continue;
      if (JSON.stringify(valueAt(d, watchedPath(path)) ?? null) === e.was) out[path] = e.message;
    }
    return out;
  });

  /** Why the last save failed, while it still applies ("Nothing was saved: …"). */
  failure = $derived.by((): string => {
    if (this.failureKind === 'other') return this.failureText;
    if (this.failureKind !== 'validation') return '';
    const n = Object.keys(this.errors).length;
    if (n === 0) return '';
    return `Nothing was saved: ${n} field${n === 1 ? ' needs' : 's need'} fixing.`;
  });

  async load() {
    this.loading = true;
    this.loadError = '';
    try {
      this.reset(await handoffConfigGet(app.agentId));
    } catch (e) {
      this.loadError = problemText(e);
    } finally {
      this.loading = false;
    }
  }

  private clearProblems() {
    this.serverErrors = {};
    this.checked = false;
    this.failureKind = '';
    this.failureText = '';
  }

  private reset(c: HandoffConfiguration) {
    const d = toDraft(c);
    this.baseline = JSON.stringify(d);
    this.draft = d;
    this.clearProblems();
  }

  discard() {
    if (this.baseline) this.draft = JSON.parse(this.baseline) as Draft;
    this.clearProblems();
  }

  /** Saves the whole draft. True when saved; otherwise `errors`/`failure` say why, and the
   * first invalid field is focused. The UI's own checks run first: nothing is sent while they
   * find a problem. */
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
    this.saving = true;
    try {
      const saved = await handoffConfigUpdate(app.agentId, toUpdate(d));
      this.reset(saved);
      app.toast('Saved');
      this.onsaved?.();
      return true;
    } catch (e) {
      const now = this.draft ?? d;
      const plain = plainFieldErrors(e, (path) => valueAt(now, path));
      const server: Record<string, { message: string; was: string }> = {};
      for (const [path, message] of Object.entries(plain)) {
        server[path] = { message, was: JSON.stringify(valueAt(now, watchedPath(path)) ?? null) };
      }
      this.serverErrors = server;
      this.checked = true;
      if (e instanceof ApiError && e.code === 'validation_failed') {
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

  /** Errors on fields this page does not show, so they are never hidden. */
  otherErrors(shown: (path: string) => boolean): [string, string][] {
    return Object.entries(this.errors).filter(([k]) => !shown(k));
  }
}
