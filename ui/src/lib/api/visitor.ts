// Talking to an agent as a visitor (the playground does, as the website widget would).

import type {
  ContactFormResult,
  ContactFormSubmit,
  ConversationStart,
  VisitorEnded,
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

/** The contact form's two commands, typed here until they are in the generated `Commands`
 * (the core adds them with the contact form; the argument and result types are generated). */
type FormCommands = {
  visitor_form_submit: {
    args: { conversation_id: number; visitor_token: string; form: ContactFormSubmit };
    result: ContactFormResult;
  };
  visitor_end: {
    args: { conversation_id: number; visitor_token: string };
    result: VisitorEnded;
  };
};
const formCall = call as unknown as <K extends keyof FormCommands>(
  cmd: K,
  args: FormCommands[K]['args'],
) => Promise<FormCommands[K]['result']>;

/** Sends the contact form; the answer is the success message, now in the transcript. */
export const visitorFormSubmit = (session: VisitorSession, form: ContactFormSubmit) =>
  formCall('visitor_form_submit', {
    conversation_id: session.conversation.id,
    visitor_token: session.visitor_token,
    form,
  });

/** The visitor ends the chat: the contact form to show now (set to appear at the end), if any. */
export const visitorEnd = (session: VisitorSession) =>
  formCall('visitor_end', {
    conversation_id: session.conversation.id,
    visitor_token: session.visitor_token,
  });
