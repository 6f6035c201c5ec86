// Error messages in plain words, in one place. The server answers `{code, message, field,
// errors: [{field, code, message}]}`; its codes are stable, its messages are written for API
// users, so the UI words each known code itself and falls back to the server's message.

import type { FieldError } from './bindings';
import { ApiError } from './transport';

/** "must not be empty" → "Must not be empty." */
export function sentence(s: string): string {
  const t = s.trim();
  if (!t) return t;
  const first = t[0].toUpperCase() + t.slice(1);
  return /[.!?]$/.test(first) ? first : first + '.';
}

/** The last name in a JSON path: `custom_guidelines[0].name` → `name`,
 * `settings.keywords[2]` → `keywords`. */
function leaf(path: string): string {
  const parts = path.replace(/\[\d+\]/g, '').split('.');
  return parts[parts.length - 1] ?? path;
}

function listItem(path: string): boolean {
  return /\[\d+\]$/.test(path);
}

/** What to type, by field, for "required" errors. */
const ENTER: Record<string, string> = {
  name: 'Enter a name',
  email: 'Enter an email address',
  emails: 'Enter an email address',
  keywords: 'Enter a keyword, or remove the empty one',
  examples: 'Enter a phrase, or remove the empty one',
  prompt: 'Enter the question to ask the visitor',
  label: 'Enter a label',
  start_time: 'Enter a start time',
  end_time: 'Enter an end time',
  host: 'Enter the server name',
  from: 'Enter the address the emails come from',
  title: 'Enter a question or title',
  body: 'Enter the answer or text',
  password: 'Enter a password',
};

/** `'refund' is already in the list` */
export function alreadyListed(value: string): string {
  return `‘${value}’ is already in the list`;
}

/** One field error in plain words. `value` is what the field holds now, when known. */
export function plainFieldError(fe: FieldError, value?: unknown): string {
  const name = leaf(fe.field);
  const num = (re: RegExp) => re.exec(fe.message)?.[1];
  switch (fe.code) {
    case 'required':
      return ENTER[name] ?? 'Fill this in';
    case 'too_long': {
      const max = num(/at most (\d+)/);
      const got = num(/got (\d+)/);
      if (!max) break;
      return `Use at most ${max} characters${got ? ` (this has ${got})` : ''}`;
    }
    case 'too_short': {
      const min = num(/at least (\d+)/);
      return min ? `Use at least ${min} characters` : 'This is too short';
    }
    case 'too_many': {
      const max = num(/at most (\d+)/);
      return max ? `At most ${max} are allowed here` : 'There are too many here';
    }
    case 'duplicate':
      if (listItem(fe.field) && typeof value === 'string' && value.trim())
        return alreadyListed(value.trim());
      if (name === 'date') return 'This date is already marked closed';
      return 'This is already in the list';
    case 'invalid_email':
      return 'Enter an email address like name@example.com';
    case 'out_of_range':
      if (name === 'max_failed_answers') return 'Enter a whole number from 0 (off) to 20';
      break;
    case 'invalid_time':
      return fe.message.includes('24:00 is only')
        ? '24:00 can only be an end time'
        : 'Enter a time as HH:MM, for example 09:00';
    case 'empty_period':
      return 'The end must differ from the start (00:00 to 24:00 is the whole day)';
    case 'invalid_date':
      return 'Enter a date';
    case 'invalid_timezone': {
      const hint = /did you mean '([^']+)'/.exec(fe.message)?.[1];
      return hint
        ? `Pick a time zone from the list (did you mean ${hint}?)`
        : 'Pick a time zone from the list';
    }
    case 'viewer_operator':
      return 'A viewer cannot take conversations: make them an operator first';
    case 'unknown_operator':
      return 'This teammate no longer exists: remove them';
    case 'unknown_field':
      return 'This field is not known to the server (is the app up to date?)';
  }
  return sentence(fe.message).replace(/\.$/, '');
}

/** Field path → plain message (the first per field). A top-level `field` without `errors`
 * (a conflict on `role`, a bad request) counts as one field error too. `valueAt` gives what
 * a field holds now, for messages that quote it. */
export function plainFieldErrors(
  e: unknown,
  valueAt: (path: string) => unknown = () => undefined,
): Record<string, string> {
  if (!(e instanceof ApiError)) return {};
  const out: Record<string, string> = {};
  for (const fe of e.errors) {
    if (!(fe.field in out)) out[fe.field] = plainFieldError(fe, valueAt(fe.field));
  }
  if (e.field && !(e.field in out) && e.errors.length === 0) out[e.field] = problemText(e);
  return out;
}

/** Any failure in plain words, for a banner or a notification. */
export function problemText(e: unknown): string {
  if (!(e instanceof ApiError)) {
    return e instanceof Error ? sentence(e.message) : sentence(String(e));
  }
  switch (e.code) {
    case 'forbidden':
      if (/API tokens/.test(e.message)) return 'Only an owner can manage API tokens.';
      if (/owner/.test(e.message)) return 'Only an owner can make owners or change an owner.';
      if (/work on conversations/.test(e.message))
        return 'Viewers can read conversations but not work on them.';
      return 'Only an owner or admin can change this.';
    case 'unauthorized':
      return 'Please sign in again.';
    case 'database_error':
    case 'internal_error':
      return 'Something went wrong on the server. Try again; if it keeps happening, check the server log.';
    case 'payload_too_large':
      return 'This is too large to send.';
    case 'validation_failed': {
      const n = e.errors.length;
      return n === 1 ? plainFieldError(e.errors[0]) + '.' : `${n} fields need fixing.`;
    }
  }
  return sentence(e.message);
}
