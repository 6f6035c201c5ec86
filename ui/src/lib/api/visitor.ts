// Talking to an agent as a visitor (the playground does, as the website widget would).

import type { ConversationStart, VisitorMessageInput, VisitorSession } from '../bindings';
import { call } from '../transport';

export const visitorStart = (start: ConversationStart) => call('visitor_start', start);

export const visitorSend = (session: VisitorSession, message: VisitorMessageInput) =>
  call('visitor_send', {
    conversation_id: session.conversation.id,
    visitor_token: session.visitor_token,
    message,
  });
