// The engine an agent runs on (built-in or OpenAI-compatible).

import type { EngineSettingsInput } from '../bindings';
import { call } from '../transport';

/** `agentId` null: the default agent. */
export const engineGet = (agentId: number | null) =>
  call('engine_get', { agent_id: agentId ?? undefined });

export const engineSet = (settings: EngineSettingsInput) => call('engine_set', settings);

/** Asks the saved engine a question; the answer is its reply. */
export const engineTest = (agentId: number | null) =>
  call('engine_test', { agent_id: agentId ?? undefined });

/** The model endpoint's state in this server process (its circuit breaker). */
export const engineHealth = (agentId: number | null) =>
  call('engine_health', { agent_id: agentId ?? undefined });
