import { describe, expect, it } from 'vitest';
import type { LeadSettings } from '../lib/bindings';
import {
  checkLeadDraft,
  dayStart,
  EXPORT_COLUMNS,
  fromLeadDraft,
  leadFieldError,
  successPreview,
  toLeadDraft,
} from '../lib/leads';

const defaults = (): LeadSettings => ({
  gathering: {
    enabled: false,
    fields: [
      { kind: 'email', label: '', field_type: 'text' },
      { kind: 'first_name', label: '', field_type: 'text' },
    ],
    when: 'after_messages',
    after_messages: 3,
    how: 'subtle',
  },
  contact_form: {
    enabled: false,
    position: 'after_first_response',
    heading: 'We need your details to help you better.',
    name: 'optional',
    email: 'required',
    phone: 'off',
    submit_label: 'Send',
    success_message_with_name: 'Thank you, {user_name}!',
    success_message: 'Thank you!',
    consent: false,
    consent_message: 'I agree.',
  },
  emails: {
    lead_notification: false,
    lead_recipients: [],
    transcript: false,
    transcript_recipients: [],
    idle_minutes: 30,
    skip_transcript: false,
  },
});

describe('lead settings draft', () => {
  it('round-trips, the phone country as text and upper case, none left out', () => {
    const s = { ...defaults() };
    s.gathering = { ...s.gathering, phone_country: null as unknown as string };
    const d = toLeadDraft(s);
    expect(d.gathering.phone_country).toBe('');
    expect('phone_country' in fromLeadDraft(d).gathering).toBe(false);
    d.gathering.phone_country = 'de';
    expect(fromLeadDraft(d).gathering.phone_country).toBe('DE');
  });

  it('the defaults pass the checks', () => {
    expect(checkLeadDraft(toLeadDraft(defaults()))).toEqual({});
  });

  it('names each problem at its field, like the server', () => {
    const d = toLeadDraft(defaults());
    d.gathering.fields.push({ kind: 'custom', label: ' ', field_type: 'number' });
    d.gathering.fields.push({ kind: 'email', label: '', field_type: 'text' });
    d.gathering.after_messages = 0;
    d.gathering.phone_country = 'Germany';
    d.contact_form.enabled = true;
    d.contact_form.name = 'off';
    d.contact_form.email = 'off';
    d.emails.transcript = true;
    d.emails.lead_recipients = ['not-an-address'];
    d.emails.idle_minutes = 2;
    expect(Object.keys(checkLeadDraft(d)).sort()).toEqual(
      [
        'contact_form.email',
        'emails.idle_minutes',
        'emails.lead_recipients[0]',
        'emails.transcript_recipients',
        'gathering.after_messages',
        'gathering.fields[2].label',
        'gathering.fields[3].label',
        'gathering.phone_country',
      ].sort(),
    );
  });

  it('words server errors plainly', () => {
    expect(
      leadFieldError({ field: 'gathering.fields', code: 'required', message: 'choose at least' }),
    ).toBe('Add at least one field');
    expect(
      leadFieldError({ field: 'emails.idle_minutes', code: 'out_of_range', message: 'between' }),
    ).toMatch(/from 5 to 1440/);
  });
});

describe('leads helpers', () => {
  it('replaces {user_name} in the success message', () => {
    expect(successPreview('Thanks, {user_name}. Bye {user_name}', 'Anna')).toBe(
      'Thanks, Anna. Bye Anna',
    );
  });

  it('a day starts at local midnight; the next one a day later', () => {
    const a = dayStart('2026-03-01');
    expect([a.getFullYear(), a.getMonth(), a.getDate(), a.getHours()]).toEqual([2026, 2, 1, 0]);
    expect(dayStart('2026-03-01', 1).getDate()).toBe(2);
  });

  it('the export columns mirror src/leads/export.rs', () => {
    expect(EXPORT_COLUMNS.map((c) => c.id).join(',')).toBe(
      'id,created_at,name,email,phone,source,consent_text,consent_at,conversation_id,custom',
    );
  });
});
