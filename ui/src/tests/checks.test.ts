import { describe, expect, it } from 'vitest';
import { checkDraft, duplicateOf, duplicates, valueAt, watchedPath } from '../lib/checks';
import type { Draft } from '../lib/config.svelte';

function draft(): Draft {
  return {
    settings: {
      is_active: true,
      keywords: [],
      ai_summary_active: true,
      topic_based_routing_active: false,
      question_message: 'Talk to someone?',
      confirmation_message: 'Handed off.',
      confirmation_outside_working_hours_message: 'We are away.',
      working_hours_active: false,
      timezone: 'UTC',
      send_email_notification: false,
      emails: [],
      auto_priority: false,
      max_failed_answers: 0,
    },
    availability: [{ id: 1, day_span: 'monday-friday', start_time: '09:00', end_time: '17:00' }],
    availability_exceptions: [],
    generic_guidelines: [],
    custom_guidelines: [],
    routing_profiles: [],
    information_to_gather: [],
  } as Draft;
}

describe('duplicates', () => {
  it('finds a repeated keyword ignoring case and spaces', () => {
    expect(duplicateOf(['Refund', 'manager'], '  refund ')).toBe('Refund');
    expect(duplicateOf(['Refund'], 'refunds')).toBeNull();
    expect(duplicates(['refund', 'help', 'REFUND'])).toEqual({
      2: '‘REFUND’ is already in the list',
    });
  });
});

describe('checks before saving', () => {
  it('finds nothing in a valid draft', () => {
    expect(checkDraft(draft())).toEqual({});
  });

  it('marks a negative or empty "hand over after unanswered questions"', () => {
    const d = draft();
    d.settings.max_failed_answers = -1;
    expect(checkDraft(d)['settings.max_failed_answers']).toBe(
      'Enter a whole number from 0 (off) to 20',
    );
    (d.settings as { max_failed_answers: unknown }).max_failed_answers = null;
    expect(checkDraft(d)).toHaveProperty(['settings.max_failed_answers']);
    d.settings.max_failed_answers = 21;
    expect(checkDraft(d)).toHaveProperty(['settings.max_failed_answers']);
    d.settings.max_failed_answers = 3;
    expect(checkDraft(d)).toEqual({});
  });

  it('marks every invalid field at once, in plain words', () => {
    const d = draft();
    d.settings.keywords = ['refund', 'Refund'];
    d.settings.emails = ['nobody'];
    d.settings.confirmation_message = 'x'.repeat(501);
    d.custom_guidelines = [{ name: ' ', description: '', is_active: true, examples: [] }];
    d.information_to_gather = [{ kind: 'custom', label: '', prompt: '', required: true }];
    d.availability[0].end_time = '09:00';
    expect(checkDraft(d)).toEqual({
      'settings.keywords[1]': '‘Refund’ is already in the list',
      'settings.emails[0]': 'Enter an email address like name@example.com',
      'settings.confirmation_message': 'Use at most 500 characters (this has 501)',
      'custom_guidelines[0].name': 'Enter a name for this guideline',
      'information_to_gather[0].label': 'Enter a label for this custom field',
      'information_to_gather[0].prompt': 'Enter the question to ask the visitor',
      'availability[0].end_time':
        'The end must differ from the start (00:00 to 24:00 is the whole day)',
    });
  });
});

describe('paths', () => {
  it('reads a value by its JSON path', () => {
    const d = draft();
    d.settings.keywords = ['a', 'b'];
    expect(valueAt(d, 'settings.keywords[1]')).toBe('b');
    expect(valueAt(d, 'availability[0].start_time')).toBe('09:00');
    expect(valueAt(d, 'availability[3].start_time')).toBeUndefined();
  });

  it('watches a whole period for its times, a single field otherwise', () => {
    expect(watchedPath('availability[2].end_time')).toBe('availability[2]');
    expect(watchedPath('availability_exceptions[0].date')).toBe('availability_exceptions[0]');
    expect(watchedPath('settings.max_failed_answers')).toBe('settings.max_failed_answers');
  });
});
