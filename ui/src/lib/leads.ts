// Leads in the UI's words, in one place: where a lead came from, the export's columns, the
// lead capture settings as the page edits them (and the UI's own checks of them, mirroring
// src/leads/settings.rs), and whole days for the date filters.

import type {
  ContactForm,
  CustomType,
  FieldError,
  FieldMode,
  FormPosition,
  GatherHow,
  GatherKind,
  GatherWhen,
  Lead,
  LeadEmails,
  LeadSettings,
  LeadSource,
} from './bindings';
import { plainFieldError } from './errors';
import { looksLikeEmail } from './text';

/** Every limit, as in src/leads/settings.rs. */
export const LIMITS = {
  fields: 10,
  label: 60,
  heading: 200,
  message: 500,
  consent: 1000,
  submitLabel: 40,
  recipients: 10,
  afterMessagesMax: 50,
  idleMin: 5,
  idleMax: 1440,
} as const;

export const SOURCE_LABEL: Record<LeadSource, string> = {
  gathering: 'Asked for in the chat',
  contact_form: 'Contact form',
  handoff: 'Left when asking for a person',
  action_form: 'A form of an action',
};

/** The export's columns, in the server's order, with the titles its files use. Mirrors
 * `COLUMNS` in src/leads/export.rs by hand: no generated list of them exists (the bindings
 * only describe `columns` as a comma-separated string). */
export const EXPORT_COLUMNS: { id: string; label: string }[] = [
  { id: 'id', label: 'ID' },
  { id: 'created_at', label: 'Created' },
  { id: 'name', label: 'Name' },
  { id: 'email', label: 'Email' },
  { id: 'phone', label: 'Phone' },
  { id: 'source', label: 'Source' },
  { id: 'consent_text', label: 'Consent' },
  { id: 'consent_at', label: 'Consent given' },
  { id: 'conversation_id', label: 'Conversation' },
  { id: 'custom', label: 'Other details' },
];

export const GATHER_KINDS: { value: GatherKind; label: string }[] = [
  { value: 'email', label: 'Email' },
  { value: 'first_name', label: 'First name' },
  { value: 'phone', label: 'Phone' },
  { value: 'custom', label: 'Custom field' },
];

export const CUSTOM_TYPES: { value: CustomType; label: string }[] = [
  { value: 'text', label: 'Text' },
  { value: 'number', label: 'Number' },
  { value: 'email', label: 'Email address' },
  { value: 'phone', label: 'Phone number' },
  { value: 'url', label: 'Web address' },
];

export const WHEN: { value: GatherWhen; label: string; help: string }[] = [
  {
    value: 'after_messages',
    label: 'After a number of visitor messages',
    help: 'The AI agent asks once the visitor has written this many messages.',
  },
  {
    value: 'interest',
    label: 'As soon as the visitor shows interest',
    help: 'Asking about prices, a demo, a quote or buying; at the latest after the number of messages below.',
  },
];

export const HOW: { value: GatherHow; label: string; help: string }[] = [
  {
    value: 'subtle',
    label: 'Subtle',
    help: 'The request comes at the end of the AI agent’s answer.',
  },
  {
    value: 'direct',
    label: 'Direct',
    help: 'A question of its own, after the answer.',
  },
];

export const POSITIONS: { value: FormPosition; label: string; help: string }[] = [
  { value: 'at_start', label: 'At the start', help: 'As soon as the chat opens.' },
  {
    value: 'after_first_response',
    label: 'After the first answer',
    help: 'Under the AI agent’s first answer.',
  },
  {
    value: 'at_end',
    label: 'At the end',
    help: 'When the conversation is resolved or the visitor ends the chat.',
  },
];

export const FIELD_MODES: { value: FieldMode; label: string }[] = [
  { value: 'off', label: 'Not asked' },
  { value: 'optional', label: 'Optional' },
  { value: 'required', label: 'Required' },
];

/** What the page edits: the settings, the phone country as text ('' = none). */
export type LeadDraft = {
  gathering: Omit<LeadSettings['gathering'], 'phone_country'> & { phone_country: string };
  contact_form: ContactForm;
  emails: LeadEmails;
};

export function toLeadDraft(s: LeadSettings): LeadDraft {
  const c = JSON.parse(JSON.stringify(s)) as LeadSettings;
  return { ...c, gathering: { ...c.gathering, phone_country: c.gathering.phone_country ?? '' } };
}

/** The document to save; the server's field paths point into it. */
export function fromLeadDraft(d: LeadDraft): LeadSettings {
  const c = JSON.parse(JSON.stringify(d)) as LeadDraft;
  const country = c.gathering.phone_country.trim().toUpperCase();
  const { phone_country: _unused, ...gathering } = c.gathering;
  void _unused;
  return {
    ...c,
    gathering: country ? { ...gathering, phone_country: country } : gathering,
  };
}

const whole = (n: unknown, min: number, max: number) =>
  typeof n === 'number' && Number.isInteger(n) && n >= min && n <= max;

/** The UI's own checks (the server's, in plain words): field path → message. */
export function checkLeadDraft(d: LeadDraft): Record<string, string> {
  const out: Record<string, string> = {};
  const g = d.gathering;
  if (g.enabled && g.fields.length === 0) out['gathering.fields'] = 'Add at least one field';
  if (g.fields.length > LIMITS.fields)
    out['gathering.fields'] = `At most ${LIMITS.fields} fields are allowed`;
  const seen = new Set<string>();
  g.fields.forEach((f, i) => {
    const at = `gathering.fields[${i}].label`;
    const label = f.label.trim();
    if ([...f.label].length > LIMITS.label) out[at] = `Use at most ${LIMITS.label} characters`;
    else if (f.kind === 'custom' && !label) out[at] = 'Enter a label for the custom field';
    const key = (f.kind === 'custom' ? label : f.kind).toLowerCase();
    if (key && seen.has(key)) out[at] ??= 'This field is already in the list';
    seen.add(key);
  });
  if (!whole(g.after_messages, 1, LIMITS.afterMessagesMax))
    out['gathering.after_messages'] = `Enter a whole number from 1 to ${LIMITS.afterMessagesMax}`;
  if (g.phone_country.trim() && !/^[A-Za-z]{2}$/.test(g.phone_country.trim()))
    out['gathering.phone_country'] = 'Enter a two-letter country code such as DE, US or PL';

  const f = d.contact_form;
  const long = (path: string, v: string, max: number) => {
    if ([...v].length > max) out[path] = `Use at most ${max} characters`;
  };
  long('contact_form.heading', f.heading, LIMITS.heading);
  long('contact_form.submit_label', f.submit_label, LIMITS.submitLabel);
  long('contact_form.success_message_with_name', f.success_message_with_name, LIMITS.message);
  long('contact_form.success_message', f.success_message, LIMITS.message);
  long('contact_form.consent_message', f.consent_message, LIMITS.consent);
  if (f.enabled) {
    if (f.name === 'off' && f.email === 'off' && f.phone === 'off')
      out['contact_form.email'] = 'Ask for at least one of name, email and phone';
    const blank = (path: string, v: string, what: string) => {
      if (!v.trim()) out[path] ??= what;
    };
    blank('contact_form.heading', f.heading, 'Enter a heading');
    blank('contact_form.submit_label', f.submit_label, 'Enter the button’s label');
    blank('contact_form.success_message_with_name', f.success_message_with_name, 'Enter a message');
    blank('contact_form.success_message', f.success_message, 'Enter a message');
    if (f.consent)
      blank('contact_form.consent_message', f.consent_message, 'Enter the consent text');
  }

  const e = d.emails;
  for (const [field, list, on] of [
    ['emails.lead_recipients', e.lead_recipients, e.lead_notification],
    ['emails.transcript_recipients', e.transcript_recipients, e.transcript],
  ] as const) {
    if (on && list.length === 0) out[field] = 'Add at least one email address';
    if (list.length > LIMITS.recipients)
      out[field] = `At most ${LIMITS.recipients} addresses are allowed`;
    list.forEach((a, i) => {
      if (!looksLikeEmail(a.trim()))
        out[`${field}[${i}]`] = 'Enter an email address like name@example.com';
    });
  }
  if (!whole(e.idle_minutes, LIMITS.idleMin, LIMITS.idleMax))
    out['emails.idle_minutes'] =
      `Enter a whole number of minutes from ${LIMITS.idleMin} to ${LIMITS.idleMax}`;
  return out;
}

/** A server error about the lead settings in plain words. */
export function leadFieldError(fe: FieldError): string {
  const path = fe.field;
  if (fe.code === 'required') {
    if (path === 'gathering.fields') return 'Add at least one field';
    if (path === 'contact_form.email') return 'Ask for at least one of name, email and phone';
    if (/_recipients$/.test(path)) return 'Add at least one email address';
    if (/\.label$/.test(path)) return 'Enter a label for the custom field';
    if (path.startsWith('contact_form.')) return 'Fill this in: the form shows it';
  }
  if (fe.code === 'out_of_range') {
    if (path === 'gathering.after_messages')
      return `Enter a whole number from 1 to ${LIMITS.afterMessagesMax}`;
    if (path === 'emails.idle_minutes')
      return `Enter a whole number of minutes from ${LIMITS.idleMin} to ${LIMITS.idleMax}`;
  }
  if (path === 'gathering.phone_country')
    return 'Enter a two-letter country code such as DE, US or PL';
  return plainFieldError(fe);
}

/** The contact form's success message as the visitor would read it. */
export function successPreview(message: string, name: string): string {
  return message.split('{user_name}').join(name);
}

/** How a lead is named in a list: its name, else its email, else its phone. */
export function leadTitle(l: Lead): string {
  return l.name?.trim() || l.email || l.phone || `Lead #${l.id}`;
}

// ---- whole days ----

const pad = (n: number) => String(n).padStart(2, '0');

/** `YYYY-MM-DD` of `d` in this computer's time zone. */
export function ymd(d: Date): string {
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}`;
}

/** Today minus `days`, as `YYYY-MM-DD` in this computer's time zone. */
export function daysAgo(days: number, now: Date = new Date()): string {
  const d = new Date(now.getFullYear(), now.getMonth(), now.getDate() - days);
  return ymd(d);
}

/** The first instant of day `day` (`YYYY-MM-DD`) in this computer's time zone, plus `add`
 * days: `dayStart('2026-03-01')` is that midnight, `dayStart(x, 1)` the next one. */
export function dayStart(day: string, add = 0): Date {
  const [y, m, d] = day.split('-').map(Number);
  return new Date(y, m - 1, d + add);
}

export function isDay(s: string): boolean {
  return /^\d{4}-\d{2}-\d{2}$/.test(s) && !isNaN(dayStart(s).getTime());
}
