// Checks the UI makes before a configuration is sent, so that every invalid field is marked at
// once and in plain words (the server checks the same again: src/handoff/validate.rs, limits in
// docs/api.md). Pure functions over the draft.

import type { Draft } from './config.svelte';
import { alreadyListed } from './errors';
import { minutes } from './hours';
import { charCount, looksLikeEmail } from './text';

/** The first earlier entry equal to `v` ignoring case and surrounding spaces, if any. */
export function duplicateOf(values: string[], v: string): string | null {
  const k = v.trim().toLowerCase();
  if (!k) return null;
  return values.find((x) => x.trim().toLowerCase() === k) ?? null;
}

/** Index → message for every entry that repeats an earlier one (ignoring case). */
export function duplicates(values: string[]): Record<number, string> {
  const out: Record<number, string> = {};
  const seen = new Set<string>();
  values.forEach((v, i) => {
    const k = v.trim().toLowerCase();
    if (!k) return;
    if (seen.has(k)) out[i] = alreadyListed(v.trim());
    seen.add(k);
  });
  return out;
}

const MESSAGE_MAX = 500;
const NAME_MAX = 100;
const DESCRIPTION_MAX = 2000;
const KEYWORD_MAX = 100;
const EXAMPLE_MAX = 500;
const MAX_FAILED_MAX = 20;

function tooLong(s: string | null | undefined, max: number): string | null {
  const n = charCount(s);
  return n > max ? `Use at most ${max} characters (this has ${n})` : null;
}

/** Every problem the UI can see in a draft, by field path (the server's paths). */
export function checkDraft(d: Draft): Record<string, string> {
  const out: Record<string, string> = {};
  const put = (path: string, msg: string | null) => {
    if (msg && !(path in out)) out[path] = msg;
  };
  const s = d.settings;

  const n = s.max_failed_answers as unknown;
  if (typeof n !== 'number' || !Number.isInteger(n) || n < 0 || n > MAX_FAILED_MAX) {
    put('settings.max_failed_answers', `Enter a whole number from 0 (off) to ${MAX_FAILED_MAX}`);
  }
  for (const f of [
    'question_message',
    'confirmation_message',
    'confirmation_outside_working_hours_message',
  ] as const) {
    put(`settings.${f}`, tooLong(s[f], MESSAGE_MAX));
  }

  const dupKeywords = duplicates(s.keywords);
  s.keywords.forEach((k, i) => {
    const p = `settings.keywords[${i}]`;
    if (!k.trim()) put(p, 'Enter a keyword, or remove the empty one');
    put(p, tooLong(k.trim(), KEYWORD_MAX));
    put(p, dupKeywords[i] ?? null);
  });

  const dupEmails = duplicates(s.emails);
  s.emails.forEach((e, i) => {
    const p = `settings.emails[${i}]`;
    if (!looksLikeEmail(e)) put(p, 'Enter an email address like name@example.com');
    put(p, dupEmails[i] ?? null);
  });

  d.custom_guidelines.forEach((g, i) => {
    const p = `custom_guidelines[${i}]`;
    if (!g.name.trim()) put(`${p}.name`, 'Enter a name for this guideline');
    put(`${p}.name`, tooLong(g.name.trim(), NAME_MAX));
    put(`${p}.description`, tooLong(g.description, DESCRIPTION_MAX));
    g.examples.forEach((x, j) => put(`${p}.examples[${j}]`, tooLong(x.trim(), EXAMPLE_MAX)));
  });

  d.routing_profiles.forEach((r, i) => {
    const p = `routing_profiles[${i}]`;
    if (!r.name.trim()) put(`${p}.name`, 'Enter the topic');
    put(`${p}.name`, tooLong(r.name.trim(), NAME_MAX));
    put(`${p}.description`, tooLong(r.description, DESCRIPTION_MAX));
  });

  const labels = d.information_to_gather.map((f) => f.label ?? '');
  const dupLabels = duplicates(labels);
  d.information_to_gather.forEach((f, i) => {
    const p = `information_to_gather[${i}]`;
    if (f.kind === 'custom' && !(f.label ?? '').trim())
      put(`${p}.label`, 'Enter a label for this custom field');
    put(`${p}.label`, dupLabels[i] ?? null);
    if (!f.prompt.trim()) put(`${p}.prompt`, 'Enter the question to ask the visitor');
    put(`${p}.prompt`, tooLong(f.prompt, MESSAGE_MAX));
  });

  d.availability.forEach((a, i) => {
    const p = `availability[${i}]`;
    const start = minutes(a.start_time);
    const end = minutes(a.end_time);
    if (start === null) put(`${p}.start_time`, 'Enter a time as HH:MM, for example 09:00');
    else if (start === 1440) put(`${p}.start_time`, '24:00 can only be an end time');
    if (end === null) put(`${p}.end_time`, 'Enter a time as HH:MM, for example 17:00');
    if (start !== null && end !== null && start === end)
      put(`${p}.end_time`, 'The end must differ from the start (00:00 to 24:00 is the whole day)');
  });

  d.availability_exceptions.forEach((x, i) => {
    const p = `availability_exceptions[${i}]`;
    if (!/^\d{4}-\d{2}-\d{2}$/.test(x.date)) put(`${p}.date`, 'Enter a date');
    put(`${p}.name`, tooLong(x.name, NAME_MAX));
    if (!x.closed) {
      const start = minutes(x.start_time ?? '');
      const end = minutes(x.end_time ?? '');
      if (start === null || start === 1440)
        put(`${p}.start_time`, 'Enter a start time as HH:MM, for example 10:00');
      if (end === null) put(`${p}.end_time`, 'Enter an end time as HH:MM, for example 14:00');
      if (start !== null && end !== null && start === end)
        put(`${p}.end_time`, 'The end must differ from the start');
    }
  });
  return out;
}

/** The value at a JSON path like `settings.keywords[2]` or `availability[0].start_time`. */
export function valueAt(root: unknown, path: string): unknown {
  let cur: unknown = root;
  for (const part of path.split(/\.|(?=\[)/)) {
    if (cur === null || cur === undefined) return undefined;
    const m = /^\[(\d+)\]$/.exec(part);
    cur = m ? (cur as unknown[])[+m[1]] : (cur as Record<string, unknown>)[part];
  }
  return cur;
}

/** What a server error is about, to tell when it has been dealt with: the field itself, or for
 * hours (whose start and end are judged together) the whole period. */
export function watchedPath(path: string): string {
  const m = /^(availability(?:_exceptions)?\[\d+\])\.(start_time|end_time|closed|date)$/.exec(path);
  return m ? m[1] : path;
}
