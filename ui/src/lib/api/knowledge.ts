// An agent's knowledge base: the questions and answers (or documents) it answers from.

import type { KnowledgeInput } from '../bindings';
import { call } from '../transport';

/** `agentId` null: the default agent. */
export const knowledgeList = (agentId: number | null) =>
  call('knowledge_list', { agent_id: agentId ?? undefined });

export const knowledgeCreate = (entry: KnowledgeInput) => call('knowledge_create', entry);

export const knowledgeUpdate = (id: number, entry: KnowledgeInput) =>
  call('knowledge_update', { id, entry });

export const knowledgeDelete = (id: number) => call('knowledge_delete', { id });
