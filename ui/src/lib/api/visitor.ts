// Talking to an agent as a visitor (the playground does, as the website widget would).

import type {
  ContactFormSubmit,
  ConversationStart,
  VisitorMessageInput,
  VisitorSession,
} from '../bindings';
import { call } from '../transport';

export const visitorStart = (start: ConversationStart) => call('visitor_start', start);

export const visitorSend = (session: VisitorSession, message: VisitorMessageInput) =>
  call('visitor_send', {
    conversation_id: session.conversation.id,
    visitor_token: session.visitor_token,
    message,
  });

/** Sends the contact form; the answer is the success message, now in the transcript. */
export const visitorFormSubmit = (session: VisitorSession, form: ContactFormSubmit) =>
  call('visitor_form_submit', {
    conversation_id: session.conversation.id,
    visitor_token: session.visitor_token,
    form,
  });

/** The visitor ends the chat: the contact form to show now (set to appear at the end), if any. */
export const visitorEnd = (session: VisitorSession) =>
  call('visitor_end', {
    conversation_id: session.conversation.id,
    visitor_token: session.visitor_token,
  });
