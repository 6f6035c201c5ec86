// An agent's handoff configuration: one document read, and saved as a whole.

import type { HandoffConfigurationUpdate } from '../bindings';
import { call } from '../transport';

/** `agentId` null: the default agent. */
export const handoffConfigGet = (agentId: number | null) =>
  call('handoff_config_get', { agent_id: agentId ?? undefined });

/** Saves the sections given (each replaces the stored one); the answer is the whole document. */
export const handoffConfigUpdate = (
  agentId: number | null,
  configuration: HandoffConfigurationUpdate,
) => call('handoff_config_update', { agent_id: agentId ?? undefined, configuration });
