// AI agents: the list the sidebar picks from, and each one's name, language and instructions.

import type { AgentCreate, AgentUpdate } from '../bindings';
import { call } from '../transport';

export const agentList = () => call('agent_list', {});

export const agentGet = (id: number) => call('agent_get', { id });

export const agentCreate = (agent: AgentCreate) => call('agent_create', agent);

/** Changes only the fields given. */
export const agentUpdate = (id: number, changes: AgentUpdate) =>
  call('agent_update', { id, changes });

export const agentDelete = (id: number) => call('agent_delete', { id });
