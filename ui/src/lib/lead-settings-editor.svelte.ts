// Editing an agent's lead capture settings: the one document `lead_settings_set` takes, saved
// whole through the generic editor (doc-editor.svelte.ts). The page edits a draft shaped for
// the form (leads.ts); the server's paths point into the document as sent.

import { leadSettingsGet, leadSettingsSet } from './api/leads';
import { app } from './app.svelte';
import { DocEditor } from './doc-editor.svelte';
import {
  checkLeadDraft,
  fromLeadDraft,
  leadFieldError,
  toLeadDraft,
  type LeadDraft,
} from './leads';

export class LeadSettingsEditor extends DocEditor<LeadDraft> {
  constructor() {
    super({
      load: async () => toLeadDraft(await leadSettingsGet(app.agentId)),
      save: async (d) => toLeadDraft(await leadSettingsSet(app.agentId, fromLeadDraft(d))),
      check: checkLeadDraft,
      input: fromLeadDraft,
      fieldError: (fe) => leadFieldError(fe),
    });
  }
}
