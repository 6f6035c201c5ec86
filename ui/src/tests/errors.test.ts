import { describe, expect, it } from 'vitest';
import { plainFieldError, plainFieldErrors, problemText } from '../lib/errors';
import { ApiError } from '../lib/transport';

const fe = (field: string, code: string, message: string) => ({ field, code, message });

describe('error messages in plain words', () => {
  it('words the server codes, not its API messages', () => {
    expect(plainFieldError(fe('email', 'invalid_email', "'' is not an email address"))).toBe(
      'Enter an email address like name@example.com',
    );
    expect(plainFieldError(fe('name', 'required', 'must not be empty'))).toBe('Enter a name');
    expect(
      plainFieldError(fe('settings.max_failed_answers', 'out_of_range', 'must be between…')),
    ).toBe('Enter a whole number from 0 (off) to 20');
    expect(
      plainFieldError(
        fe('settings.question_message', 'too_long', 'must be at most 500 characters (got 501)'),
      ),
    ).toBe('Use at most 500 characters (this has 501)');
    expect(plainFieldError(fe('password', 'too_short', 'must be at least 8 characters'))).toBe(
      'Use at least 8 characters',
    );
  });

  it('says which entry is already in the list', () => {
    expect(
      plainFieldError(
        fe('settings.keywords[1]', 'duplicate', "duplicate keyword 'Refund'"),
        'Refund',
      ),
    ).toBe('‘Refund’ is already in the list');
  });

  it('never shows robotic text: no quotes of empty values, no bare "required"', () => {
    const all = [
      fe('email', 'invalid_email', "'' is not an email address"),
      fe('settings.keywords[0]', 'required', 'must not be empty'),
      fe('custom_guidelines[0].name', 'required', 'must not be empty'),
      fe('information_to_gather[0].prompt', 'required', 'must not be empty'),
      fe('availability[0].end_time', 'empty_period', 'end_time must differ from start_time'),
    ].map((f) => plainFieldError(f));
    for (const m of all) {
      expect(m).not.toMatch(/''|required|_time|must not/);
      expect(m[0]).toBe(m[0].toUpperCase());
    }
  });

  it('falls back to the server message as a sentence', () => {
    expect(plainFieldError(fe('x', 'something_new', 'the server says so'))).toBe(
      'The server says so',
    );
  });

  it('maps a whole error body by field, quoting current values', () => {
    const e = new ApiError({
      code: 'validation_failed',
      message: '2 invalid field(s)',
      errors: [
        fe('settings.keywords[1]', 'duplicate', "duplicate keyword 'refund'"),
        fe('settings.emails[0]', 'invalid_email', "'x' is not an email address"),
      ],
    });
    expect(plainFieldErrors(e, (p) => (p === 'settings.keywords[1]' ? 'refund' : 'x'))).toEqual({
      'settings.keywords[1]': '‘refund’ is already in the list',
      'settings.emails[0]': 'Enter an email address like name@example.com',
    });
  });

  it('words refusals and conflicts', () => {
    expect(
      problemText(
        new ApiError({
          code: 'forbidden',
          message: 'this operator may not change the configuration',
        }),
      ),
    ).toBe('Only an owner or admin can change this.');
    expect(
      problemText(
        new ApiError({
          code: 'conflict',
          field: 'role',
          message: 'this is the last active owner: make someone else owner first',
        }),
      ),
    ).toBe('This is the last active owner: make someone else owner first.');
    expect(
      problemText(new ApiError({ code: 'database_error', message: 'a database error occurred' })),
    ).toMatch(/^Something went wrong on the server/);
  });
});
