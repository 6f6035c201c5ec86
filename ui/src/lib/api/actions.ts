// An agent's HTTP request actions (calls to the business's own API), their test runs and their
// execution log. Secrets are write-only: answers say `auth.has_secret`, never the value.

import type { ActionInput, ActionLogQuery, ActionTestArgs } from '../bindings';
import { call } from '../transport';

/** `agentId` null: the default agent. */
export const actionList = (agentId: number | null) =>
  call('action_list', { agent_id: agentId ?? undefined });

export const actionGet = (id: number) => call('action_get', { id });

export const actionCreate = (action: ActionInput) => call('action_create', action);

/** Saves every field (`auth` null keeps the auth, `auth.secret` null keeps the secret). */
export const actionUpdate = (id: number, action: ActionInput) =>
  call('action_update', { id, action });

/** Its log entries stay, with its name. */
export const actionDelete = (id: number) => call('action_delete', { id });

/** Really calls the endpoint with the sample values, and logs the run as a test. */
export const actionTest = (test: ActionTestArgs) => call('action_test', test);

/** Newest first; the next page is `before_id: page.next_before_id`. */
export const actionLogList = (query: ActionLogQuery) => call('action_log_list', query);
