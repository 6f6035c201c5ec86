// The website widget's pure helpers: the widget is one plain script (no modules), so the test
// runs it with a `window.__batonWidgetTest` object, and it hands its helpers over instead of
// mounting.
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

type Part = { text: string; href?: string };
type Hooks = {
  splitLinks(text: string): Part[];
  reconnectDelay(attempt: number, random?: () => number): number;
  formatTime(iso: string, now?: Date, locale?: string): string;
  checkContactForm(
    view: {
      fields: { name: string; label: string; required: boolean }[];
      consent_message: string | null;
    },
    values: Record<string, string | boolean>,
  ): Record<string, string>;
  checkActionForm(
    view: {
      fields: { name: string; label: string; type: string; required: boolean; options: string[] }[];
    },
    values: Record<string, string | boolean>,
    lang?: string,
  ): Record<string, string>;
  langOf(tag: string): string;
  phrase(lang: string, key: string): string;
};

function loadWidget(): Hooks {
  const source = readFileSync(resolve(__dirname, '../../widget/widget.js'), 'utf8');
  const hooks = {} as Hooks;
  new Function('window', source)({ __batonWidgetTest: hooks });
  return hooks;
}

const w = loadWidget();

describe('widget links', () => {
  it('links http and https addresses and keeps the rest as text', () => {
    expect(w.splitLinks('See https://example.com/help?x=1 or http://a.test.')).toEqual([
      { text: 'See ' },
      { text: 'https://example.com/help?x=1', href: 'https://example.com/help?x=1' },
      { text: ' or ' },
      { text: 'http://a.test', href: 'http://a.test/' },
      { text: '.' },
    ]);
  });

  it('never links other schemes', () => {
    for (const t of [
      'javascript:alert(1)',
      'JavaScript:alert(document.cookie)',
      'data:text/html,<script>alert(1)</script>',
      'vbscript:msgbox(1)',
      'file:///etc/passwd',
      'mailto:a@b.c',
      'xhttps://example.com',
      'https://',
    ]) {
      expect(w.splitLinks(t), t).toEqual([{ text: t }]);
    }
  });

  it('leaves HTML as text: the parts join back to the input', () => {
    const t = '<img src=x onerror=alert(1)> <b>bold</b> https://ok.test/<script>';
    const parts = w.splitLinks(t);
    expect(parts.map((p) => p.text).join('')).toBe(t);
    expect(parts.filter((p) => p.href)).toEqual([
      { text: 'https://ok.test/', href: 'https://ok.test/' },
    ]);
  });

  it('keeps sentence punctuation and unmatched brackets out of the link', () => {
    expect(w.splitLinks('(see https://a.test/x), then "https://b.test/y"!')).toEqual([
      { text: '(see ' },
      { text: 'https://a.test/x', href: 'https://a.test/x' },
      { text: '), then "' },
      { text: 'https://b.test/y', href: 'https://b.test/y' },
      { text: '"!' },
    ]);
    expect(w.splitLinks('https://en.wikipedia.org/wiki/Baton_(law).')[0]).toEqual({
      text: 'https://en.wikipedia.org/wiki/Baton_(law)',
      href: 'https://en.wikipedia.org/wiki/Baton_(law)',
    });
  });

  it('handles empty text and several links in a row', () => {
    expect(w.splitLinks('')).toEqual([{ text: '' }]);
    expect(w.splitLinks('https://a.test https://b.test').map((p) => p.href ?? null)).toEqual([
      'https://a.test/',
      null,
      'https://b.test/',
    ]);
  });
});

describe('widget reconnection backoff', () => {
  it('waits 1 s doubling to 30 s, within ±20 % jitter', () => {
    const mid = () => 0.5;
    expect([0, 1, 2, 3, 4, 5, 9, 50].map((n) => w.reconnectDelay(n, mid))).toEqual([
      1000, 2000, 4000, 8000, 16000, 30000, 30000, 30000,
    ]);
    expect(w.reconnectDelay(0, () => 0)).toBe(800);
    expect(w.reconnectDelay(0, () => 0.999999)).toBe(1200);
    expect(w.reconnectDelay(7, () => 0.999999)).toBe(30000);
  });
});

describe('widget message times', () => {
  const now = new Date('2026-03-10T15:00:00Z');
  it('shows the time today and the date before, in the given locale', () => {
    const today = w.formatTime('2026-03-10T09:05:00Z', now, 'en-US');
    expect(today).toMatch(/^\d{1,2}:05\s?(AM|PM)$/);
    const earlier = w.formatTime('2026-02-01T09:05:00Z', now, 'en-GB');
    expect(earlier).toMatch(/1 Feb/);
    expect(w.formatTime('not a date', now, 'en-GB')).toBe('');
  });
});

describe('widget contact form', () => {
  const view = {
    fields: [
      { name: 'name', label: 'Name', required: false },
      { name: 'email', label: 'Email', required: true },
      { name: 'phone', label: 'Phone', required: false },
    ],
    consent_message: 'I agree that my details are stored.',
  };

  it('asks for required fields and the consent box, in plain words', () => {
    expect(w.checkContactForm(view, { name: '', email: ' ', phone: '', consent: false })).toEqual({
      email: 'Please fill in your email.',
      consent: 'Tick the box to agree first.',
    });
  });

  it('checks what was typed, optional fields only when filled', () => {
    expect(
      w.checkContactForm(view, { name: 'Anna', email: 'anna@', phone: 'call me', consent: true }),
    ).toEqual({
      email: 'Enter an email address like name@example.com.',
      phone: 'Enter a phone number, like +49 30 1234567.',
    });
    expect(
      w.checkContactForm(view, {
        name: '',
        email: 'anna@example.com',
        phone: '+49 30 1234567',
        consent: true,
      }),
    ).toEqual({});
  });

  it('asks for one field when every field is optional', () => {
    const optional = { ...view, fields: view.fields.map((f) => ({ ...f, required: false })) };
    expect(w.checkContactForm(optional, { consent: true })).toEqual({
      name: 'Fill in at least one field.',
    });
  });

  it('needs no consent when the form shows none', () => {
    expect(
      w.checkContactForm({ ...view, consent_message: null }, { email: 'a@b.co', consent: false }),
    ).toEqual({});
  });
});

describe('widget action forms', () => {
  const view = {
    fields: [
      { name: 'order_id', label: 'Order number', type: 'text', required: true, options: [] },
      { name: 'email', label: 'Email', type: 'email', required: true, options: [] },
      { name: 'phone', label: 'Phone', type: 'phone', required: false, options: [] },
      { name: 'qty', label: 'How many', type: 'number', required: false, options: [] },
      {
        name: 'reason',
        label: 'Reason',
        type: 'select',
        required: true,
        options: ['Damaged', 'Wrong size'],
      },
      { name: 'terms', label: 'I agree', type: 'consent', required: true, options: [] },
    ],
  };

  it('names every field that cannot be sent', () => {
    expect(
      w.checkActionForm(view, {
        order_id: ' ',
        email: 'sam@example',
        phone: 'call me',
        qty: 'two',
        reason: 'Lost',
        terms: false,
      }),
    ).toEqual({
      order_id: 'Please fill in order number.',
      email: 'Enter an email address like name@example.com.',
      phone: 'Enter a phone number with its country code, like +44 20 7946 0958.',
      qty: 'Enter a number.',
      reason: 'Pick one of the choices.',
      terms: 'Tick the box to go on.',
    });
  });

  it('lets a good form through, optional fields empty, choices in any case', () => {
    expect(
      w.checkActionForm(view, {
        order_id: 'A-1',
        email: 'sam@example.net',
        phone: '',
        qty: '2,5',
        reason: 'wrong size',
        terms: true,
      }),
    ).toEqual({});
  });
});

describe('widget languages', () => {
  it('speaks the visitor’s language among the seven, English otherwise', () => {
    expect(
      ['de-AT', 'pt-BR', 'PL', 'it', 'es-419', 'fr-CA', 'en-GB', 'nl-NL', ''].map(w.langOf),
    ).toEqual(['de', 'pt', 'pl', 'it', 'es', 'fr', 'en', 'en', 'en']);
    expect(w.phrase('de-DE', 'send')).toBe('Senden');
    expect(w.phrase('nl', 'send')).toBe('Send');
  });

  it('says what is wrong with a form in that language', () => {
    const view = {
      fields: [
        { name: 'order_id', label: 'Bestellnummer', type: 'text', required: true, options: [] },
        { name: 'email', label: 'E-Mail', type: 'email', required: true, options: [] },
      ],
    };
    expect(w.checkActionForm(view, { order_id: '', email: 'x@' }, 'de-DE')).toEqual({
      order_id: 'Bitte füllen Sie dieses Feld aus.',
      email: 'Geben Sie eine E-Mail-Adresse wie name@beispiel.de ein.',
    });
    expect(w.checkActionForm(view, { order_id: '', email: 'x@' }, 'pl')).toEqual({
      order_id: 'Wypełnij to pole.',
      email: 'Wpisz adres e-mail, np. imie@przyklad.pl.',
    });
  });

  it('has every phrase in every language', () => {
    const keys = ['required', 'email', 'send', 'reconnecting', 'yes', 'no', 'placeholder'];
    for (const l of ['en', 'es', 'fr', 'de', 'pl', 'pt', 'it'])
      for (const k of keys) {
        const p = w.phrase(l, k);
        expect(p, `${l}.${k}`).toBeTruthy();
        if (l !== 'en' && !['no', 'optional'].includes(k))
          expect(p, `${l}.${k} is translated`).not.toBe(w.phrase('en', k));
      }
  });
});
