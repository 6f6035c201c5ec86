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
import { app } from './app.svelte';
import { ApiError, call, fieldErrors } from './transport';

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

export class ConfigEditor {
  draft = $state<Draft | null>(null);
  private baseline = $state('');
  errors = $state<Record<string, string>>({});
  /** The error message when the save failed for reasons not tied to a field. */
  failure = $state('');
  loading = $state(true);
  saving = $state(false);
  loadError = $state('');

  /** Called after each successful save (e.g. to refresh a preview). */
  onsaved: (() => void) | null = null;

  dirty = $derived(this.draft !== null && JSON.stringify(this.draft) !== this.baseline);

  async load() {
    this.loading = true;
    this.loadError = '';
    try {
      this.reset(await call('handoff_config_get', { agent_id: app.agentId }));
    } catch (e) {
      this.loadError = e instanceof Error ? e.message : String(e);
    } finally {
      this.loading = false;
    }
  }

  private reset(c: HandoffConfiguration) {
    const d = toDraft(c);
    this.baseline = JSON.stringify(d);
    this.draft = d;
    this.errors = {};
    this.failure = '';
  }

  discard() {
    if (this.baseline) this.draft = JSON.parse(this.baseline) as Draft;
    this.errors = {};
    this.failure = '';
  }

  /** Saves the whole draft. True when saved; otherwise `errors`/`failure` say why. */
  async save(): Promise<boolean> {
    if (!this.draft) return false;
    this.saving = true;
    this.failure = '';
    try {
      const saved = await call('handoff_config_update', {
        agent_id: app.agentId,
        configuration: toUpdate(this.draft),
      });
      this.reset(saved);
      app.toast('Saved');
      this.onsaved?.();
      return true;
    } catch (e) {
      this.errors = fieldErrors(e);
      const n = Object.keys(this.errors).length;
      this.failure =
        e instanceof ApiError && e.code === 'validation_failed'
          ? `Nothing was saved: ${n} field${n === 1 ? ' needs' : 's need'} fixing.`
          : e instanceof Error
            ? e.message
            : String(e);
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
