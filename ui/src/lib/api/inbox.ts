// The inbox and the conversations in it: listing, opening, and what an operator does with one.

import type {
  ConversationManualHandoff,
  ConversationReply,
  ConversationTake,
  ConversationText,
  InboxQuery,
} from '../bindings';
import { call } from '../transport';

export const inboxList = (query: InboxQuery) => call('inbox_list', query);

/** The first-run checklist of an agent (`agentId` null: the default one). */
export const inboxSetup = (agentId: number | null) =>
  call('inbox_setup', { agent_id: agentId ?? undefined });

/** Messages, decision records and timeline. */
export const conversationOpen = (id: number) => call('conversation_open', { id });

export const conversationTake = (take: ConversationTake) => call('conversation_take', take);

/** `operatorId` null: unassigned, back in the queue. */
export const conversationAssign = (id: number, operatorId: number | null) =>
  call('conversation_assign', { id, operator_id: operatorId });

export const conversationReply = (reply: ConversationReply) => call('conversation_reply', reply);

/** An internal note, for operators only. */
export const conversationNote = (note: ConversationText) => call('conversation_note', note);

export const conversationResolve = (id: number, asOperatorId?: number) =>
  call('conversation_resolve', { id, as_operator_id: asOperatorId });

export const conversationReopen = (id: number, asOperatorId?: number) =>
  call('conversation_reopen', { id, as_operator_id: asOperatorId });

/** Back to the AI, with an optional private instruction it follows in this conversation. */
export const conversationHandBack = (id: number, instruction?: string) =>
  call('conversation_hand_back', { id, instruction });

/** A handoff an operator starts (taking it themselves with `take`). */
export const conversationHandoff = (handoff: ConversationManualHandoff) =>
  call('conversation_handoff', handoff);
