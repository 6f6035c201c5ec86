// Form and button actions in the editor: their drafts, the input the server takes, and the
// checks the UI makes before saving (the server checks everything again: src/actions/kinds.rs).
// Pure functions.

import type {
  ActionButton,
  ActionForm,
  ActionKind,
  ButtonMoment,
  FormField,
  FormFieldType,
} from './bindings';
import { duplicates } from './checks';
import { charCount } from './text';

/** The server's limits (src/actions/kinds.rs). */
export const KIND_LIMITS = {
  intro: 500,
  title: 100,
  fields: 10,
  label: 200,
  placeholder: 100,
  options: 50,
  option: 100,
  submitLabel: 40,
  successMessage: 500,
  buttonMessage: 500,
  buttonLabel: 40,
} as const;

export const KINDS: { value: ActionKind; label: string; help: string }[] = [
  {
    value: 'http',
    label: 'HTTP request',
    help: 'Calls your API during the conversation (look up an order, open a ticket).',
  },
  {
    value: 'form',
    label: 'Form in the chat',
    help: 'Shows a form (a return request, a quote); can run an HTTP action with the answers.',
  },
  {
    value: 'button',
    label: 'Button in the chat',
    help: 'Shows a button that opens a link or runs an HTTP action (“Book a demo”).',
  },
];

export const FIELD_TYPES: { value: FormFieldType; label: string }[] = [
  { value: 'text', label: 'Text' },
  { value: 'email', label: 'Email' },
  { value: 'phone', label: 'Phone' },
  { value: 'number', label: 'Number' },
  { value: 'select', label: 'Choice (select)' },
  { value: 'long_text', label: 'Long text' },
  { value: 'consent', label: 'Consent checkbox' },
];

export type FormDraft = {
  intro: string;
  title: string;
  fields: FormField[];
  submit_label: string;
  create_lead: boolean;
  /** An HTTP action's name; empty: none. */
  run_action: string;
  success_message: string;
};

export type ButtonDraft = {
  message: string;
  label: string;
  moment: ButtonMoment;
  /** Open a link, or run an HTTP action. */
  does: 'url' | 'action';
  url: string;
  run_action: string;
};

export function emptyField(n: number): FormField {
  return {
    name: `field_${n}`,
    label: '',
    type: 'text',
    required: false,
    placeholder: '',
    options: [],
  };
}

export function emptyForm(): FormDraft {
  return {
    intro: 'Please fill in this form:',
    title: '',
    fields: [{ ...emptyField(1), name: 'email', label: 'Email', type: 'email', required: true }],
    submit_label: 'Send',
    create_lead: true,
    run_action: '',
    success_message: 'Thank you! We have received your details.',
  };
}

export function emptyButton(): ButtonDraft {
  return {
    message: '',
    label: '',
    moment: 'matched',
    does: 'url',
    url: 'https://',
    run_action: '',
  };
}

export function formDraft(f: ActionForm | null): FormDraft {
  if (!f) return emptyForm();
  return {
    intro: f.intro,
    title: f.title,
    fields: f.fields.map((x) => ({ ...x, options: [...x.options] })),
    submit_label: f.submit_label,
    create_lead: f.create_lead,
    run_action: f.run_action ?? '',
    success_message: f.success_message,
  };
}

export function buttonDraft(b: ActionButton | null): ButtonDraft {
  if (!b) return emptyButton();
  return {
    message: b.message,
    label: b.label,
    moment: b.moment,
    does: b.run_action ? 'action' : 'url',
    url: b.url ?? 'https://',
    run_action: b.run_action ?? '',
  };
}

export function formInput(f: FormDraft): ActionForm {
  return {
    intro: f.intro.trim(),
    title: f.title.trim(),
    fields: f.fields.map((x) => ({
      name: x.name.trim(),
      label: x.label.trim(),
      type: x.type,
      required: x.required,
      placeholder: x.placeholder.trim(),
      options: x.type === 'select' ? x.options.map((o) => o.trim()) : [],
    })),
    submit_label: f.submit_label.trim(),
    create_lead: f.create_lead,
    run_action: f.run_action.trim() || null,
    success_message: f.success_message.trim(),
  };
}

export function buttonInput(b: ButtonDraft): ActionButton {
  return {
    message: b.moment === 'matched' ? b.message.trim() : '',
    label: b.label.trim(),
    moment: b.moment,
    url: b.does === 'url' ? b.url.trim() : null,
    run_action: b.does === 'action' ? b.run_action.trim() || null : null,
  };
}

const long = (s: string, max: number) =>
  charCount(s) > max ? `Use at most ${max} characters (this has ${charCount(s)})` : null;

/** The problems the UI sees in a form, by the server's paths (`form.fields[1].label`). */
export function checkForm(f: FormDraft, put: (path: string, msg: string | null) => void) {
  if (!f.intro.trim()) put('form.intro', 'Enter what the agent says with the form');
  put('form.intro', long(f.intro.trim(), KIND_LIMITS.intro));
  if (!f.title.trim()) put('form.title', 'Give the form a title, like Return request');
  put('form.title', long(f.title.trim(), KIND_LIMITS.title));
  if (f.fields.length === 0) put('form.fields', 'Add at least one field');
  if (f.fields.length > KIND_LIMITS.fields)
    put('form.fields', `At most ${KIND_LIMITS.fields} fields are allowed`);
  const dup = duplicates(f.fields.map((x) => x.name.trim().toLowerCase()));
  f.fields.forEach((x, i) => {
    const at = `form.fields[${i}]`;
    const n = x.name.trim();
    if (!/^[A-Za-z][A-Za-z0-9_-]*$/.test(n))
      put(`${at}.name`, 'Use letters, digits, _ and - only, starting with a letter');
    else if (dup[i]) put(`${at}.name`, 'Another field has this name');
    if (!x.label.trim())
      put(
        `${at}.label`,
        x.type === 'consent' ? 'Enter what the visitor agrees to' : 'Enter a label',
      );
    put(`${at}.label`, long(x.label.trim(), KIND_LIMITS.label));
    put(`${at}.placeholder`, long(x.placeholder.trim(), KIND_LIMITS.placeholder));
    if (x.type === 'select') {
      if (x.options.length === 0) put(`${at}.options`, 'List the choices');
      if (x.options.length > KIND_LIMITS.options)
        put(`${at}.options`, `At most ${KIND_LIMITS.options} choices are allowed`);
    }
  });
  if (!f.submit_label.trim()) put('form.submit_label', 'Enter the button’s words, like Send');
  put('form.submit_label', long(f.submit_label.trim(), KIND_LIMITS.submitLabel));
  if (!f.success_message.trim())
    put('form.success_message', 'Enter what the agent says once the form is sent');
  put('form.success_message', long(f.success_message.trim(), KIND_LIMITS.successMessage));
}

/** The problems the UI sees in a button, by the server's paths (`button.url`). */
export function checkButton(b: ButtonDraft, put: (path: string, msg: string | null) => void) {
  if (!b.label.trim()) put('button.label', 'Enter the button’s words, like Book a demo');
  put('button.label', long(b.label.trim(), KIND_LIMITS.buttonLabel));
  if (b.moment === 'matched')
    put('button.message', long(b.message.trim(), KIND_LIMITS.buttonMessage));
  if (b.does === 'url') {
    const u = b.url.trim();
    if (!u || /^https?:\/\/$/i.test(u)) put('button.url', 'Enter the address to open');
    else if (!/^https?:\/\/[^/?#\s]+/i.test(u))
      put('button.url', 'Start with https:// (or http://) and the site’s name');
  } else if (!b.run_action.trim()) put('button.run_action', 'Pick the HTTP action to run');
}
