// Leads: an agent's lead capture settings (smart data gathering, the contact form, the lead
// and transcript emails) and the leads visitors left (list, one with its conversations,
// delete). The export is a file, not JSON: `saveLeadsExport` in lib/leadExport.ts.

import type { LeadQuery, LeadSettings } from '../bindings';
import { call } from '../transport';

/** `agentId` null: the default agent. The defaults (all off) until saved. */
export const leadSettingsGet = (agentId: number | null) =>
  call('lead_settings_get', { agent_id: agentId ?? undefined });

/** Saves the whole document; the server checks every field and answers what it stored. */
export const leadSettingsSet = (agentId: number | null, settings: LeadSettings) =>
  call('lead_settings_set', { agent_id: agentId ?? undefined, settings });

/** Newest first; the next page is `before_id: page.next_before_id` (null on the last). */
export const leadList = (q: LeadQuery) => call('lead_list', q);

export const leadGet = (id: number) => call('lead_get', { id });

/** The lead's details and its links go; its conversations stay. */
export const leadDelete = (id: number) => call('lead_delete', { id });
