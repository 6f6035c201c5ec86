// Leads, end to end. The owner sets up lead capture on the Lead capture page: smart data
// gathering on (a custom field added), the contact form on at the start with the name
// required and a consent box, the server's refusal of an unknown phone country shown at its
// field and "Nothing was saved" until it is fixed. A visitor on the shop's site opens the
// widget: the form is there as the chat opens; sent empty it names the required fields and the
// consent box, filled it is answered with the thank-you message naming the visitor, then the
// visitor writes "I'm Anna, anna@example.com". 100,000 older leads are seeded straight into the test's SQLite file (no API makes
// leads in bulk). The manager finds Anna on the Leads page (search), opens her details (source
// in words, consent text and time) and her conversation in the Inbox; the list keeps a bounded
// number of rows in the page while scrolling loads more; the Export dialog writes XLSX and CSV
// for whole days (caught as downloads, read back by openpyxl and Python's csv: header, her
// values, a date cell, the byte-order mark, a column left out), and Cancel stops an export. A
// lead is deleted after the confirmation (the server's words in the notification). A viewer
// reads both pages without controls; nothing scrolls sideways on a phone; axe-core on the
// pages, the dialog and the widget. Screenshots: leads-settings.png, leads.png,
// leads-export.png, widget-contact-form.png.
//
//   npm run build && node e2e/leads.mjs     (part of `npm run e2e`)

import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  api,
  axe,
  EMAIL,
  errorWatch,
  expectText,
  fail,
  failureShots,
  freshBaton,
  launchBrowser,
  PASSWORD,
  preflight,
  shopSite,
  shot,
  signIn,
  stepper,
  until,
} from './lib.mjs';

const step = stepper('leads');
preflight();
const SEEDED = 100_000;
const MAX_ROWS_IN_DOM = 60;
const files = mkdtempSync(join(tmpdir(), 'baton-leads-e2e-'));

const baton = freshBaton();
await baton.start();
step(`server at ${baton.base}`);
const token = await signIn(baton.base);
const auth = { Authorization: `Bearer ${token}` };
const rpc = (command, args) => api(baton.base, 'POST', `/v1/rpc/${command}`, args, auth);
// The business time zone (the export's whole days) is UTC; the handoff gathers details too.
await rpc('handoff_config_update', {
  agent_id: null,
  configuration: {
    settings: { is_active: true, timezone: 'UTC' },
    information_to_gather: [
      { kind: 'name', label: '', prompt: 'May I have your name?', required: true },
      { kind: 'email', label: '', prompt: 'And your email address?', required: true },
    ],
  },
});

/** Runs Python 3 with `code`, failing with its output. */
function python(code, ...args) {
  const r = spawnSync('python3', ['-c', code, ...args], { encoding: 'utf8' });
  if (r.status !== 0) fail(`python3 failed:\n${r.stderr}\n${r.stdout}`);
  return r.stdout;
}

/** `YYYY-MM-DD` in UTC, `days` from today. */
const day = (days = 0) => new Date(Date.now() + days * 86_400_000).toISOString().slice(0, 10);

const browser = await launchBrowser();
// Expected in the console: the 401 before sign-in, the 422s of the server-side checks.
const watcher = errorWatch();
const contexts = [];
async function newContext(extra = {}) {
  const context = await browser.newContext({
    viewport: { width: 1280, height: 900 },
    timezoneId: 'UTC',
    locale: 'en-GB',
    colorScheme: 'light',
    acceptDownloads: true,
    ...extra,
  });
  context.setDefaultTimeout(10_000);
  contexts.push(context);
  return context;
}
async function signedIn(email, password, extra = {}) {
  const context = await newContext(extra);
  const page = watcher.watch(await context.newPage(), email, /status of (401|422)/);
  await page.goto(baton.base + '/');
  await page.getByLabel('Email').fill(email);
  await page.getByLabel('Password').fill(password);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.getByRole('navigation', { name: 'Main' }).waitFor();
  return page;
}

let ok = false;
try {
  const owner = await signedIn(EMAIL, PASSWORD);

  // ---- Lead capture settings ----
  step('the Lead capture page');
  const nav = owner.getByRole('navigation', { name: 'Main' });
  await nav.getByRole('link', { name: 'Lead capture' }).click();
  await owner.getByRole('heading', { name: 'Lead capture', level: 1 }).waitFor();
  await owner.getByRole('switch', { name: 'Ask visitors for their details' }).click();
  // Email and first name are there by default; phone, then a custom field.
  await owner.getByRole('button', { name: 'Add a field' }).click();
  await owner.getByRole('button', { name: 'Add a field' }).click();
  if ((await owner.getByTestId('gather-field').count()) !== 4) fail('4 gathering fields expected');
  if ((await owner.getByLabel('Field 3', { exact: true }).inputValue()) !== 'phone')
    fail('phone not added third');
  if ((await owner.getByLabel('Field 4', { exact: true }).inputValue()) !== 'custom')
    fail('no custom field');
  // The UI's own check: a custom field needs a label.
  await owner.getByRole('button', { name: 'Save changes' }).click();
  await expectText(
    owner.getByTestId('gather-field').nth(3).locator('.error-text'),
    /Enter a label for the custom field/,
    'the custom field without a label',
  );
  await owner.locator('#gf-label-3').fill('Company');
  await owner.locator('#gf-type-3').selectOption('text');
  await owner.getByRole('radio', { name: /^As soon as the visitor shows interest/ }).check();
  await owner.getByLabel('Visitor messages before asking').fill('4');
  await owner.getByRole('radio', { name: /^Direct/ }).check();

  await owner.getByRole('switch', { name: 'Show the contact form' }).click();
  await owner.getByRole('radio', { name: /^At the start/ }).check();
  await owner.getByLabel('Heading').fill('Before we start: how can we reach you?');
  await owner.getByLabel('Name', { exact: true }).selectOption('required');
  await owner.getByLabel('Phone', { exact: true }).selectOption('optional');
  await owner.getByRole('switch', { name: 'Ask for consent' }).click();
  await owner
    .getByLabel('Consent text')
    .fill('I agree that Acme stores my details to answer my request.');
  await expectText(
    owner.getByTestId('form-preview'),
    /How can we help you, Anna\?/,
    '{user_name} replaced in the preview',
  );
  await owner.getByRole('switch', { name: 'Email me about each new lead' }).click();
  const recipients = owner.getByRole('textbox', { name: 'Send lead emails to' });
  await recipients.fill('sales@example.com');
  await recipients.press('Enter');
  await owner.getByRole('switch', { name: /^Email the conversation’s transcript/ }).click();
  const transcripts = owner.getByRole('textbox', { name: 'Send transcripts to' });
  await transcripts.fill('support@example.com');
  await transcripts.press('Enter');
  if ((await owner.getByLabel(/^Minutes without a visitor message/).inputValue()) !== '30')
    fail('idle minutes are not 30 by default');
  await owner
    .getByLabel(
      'Skip the transcript when a lead or handoff email was already sent for this conversation',
    )
    .check();

  // The server's check: a country code it does not know, shown at its field, nothing saved.
  step('a server-side error at its field');
  const country = owner.getByLabel('Country for phone numbers without +');
  await country.fill('XX');
  await owner.getByRole('button', { name: 'Save changes' }).click();
  await expectText(
    owner.locator('[data-field="gathering.phone_country"] .error-text'),
    /two-letter country code such as DE/,
    'the phone country refused',
  );
  await expectText(owner.locator('.banner.error'), /Nothing was saved: 1 field/, 'nothing saved');
  if ((await country.getAttribute('aria-invalid')) !== 'true') fail('country not marked invalid');
  if ((await rpc('lead_settings_get', {})).contact_form.enabled) fail('saved despite the error');
  await country.fill('de');
  await owner.keyboard.press('Control+s');
  await expectText(owner.locator('.toast'), /Saved/, 'saved');
  const saved = await rpc('lead_settings_get', {});
  const want = {
    'gathering.enabled': true,
    'gathering.when': 'interest',
    'gathering.after_messages': 4,
    'gathering.how': 'direct',
    'gathering.phone_country': 'DE',
    'gathering.fields': 'email,first_name,phone,custom:Company',
    'contact_form.enabled': true,
    'contact_form.position': 'at_start',
    'contact_form.name': 'required',
    'contact_form.phone': 'optional',
    'contact_form.consent': true,
    'emails.lead_recipients': 'sales@example.com',
    'emails.transcript_recipients': 'support@example.com',
    'emails.idle_minutes': 30,
    'emails.skip_transcript': true,
  };
  const got = {
    ...Object.fromEntries(
      Object.keys(want).map((k) => [k, k.split('.').reduce((o, p) => o?.[p], saved)]),
    ),
    'gathering.fields': saved.gathering.fields
      .map((f) => (f.kind === 'custom' ? `custom:${f.label}` : f.kind))
      .join(','),
    'emails.lead_recipients': saved.emails.lead_recipients.join(','),
    'emails.transcript_recipients': saved.emails.transcript_recipients.join(','),
  };
  for (const [k, v] of Object.entries(want))
    if (got[k] !== v) fail(`saved ${k} = ${JSON.stringify(got[k])}, expected ${v}`);
  await owner.getByText('All changes saved').waitFor();
  await owner.evaluate(() => window.scrollTo(0, 0));
  await owner.getByTestId('contact-form-settings').scrollIntoViewIfNeeded();
  await owner.evaluate(() => {
    const top = document.querySelector('[data-testid="contact-form-settings"]');
    window.scrollTo(0, top.getBoundingClientRect().top + window.scrollY - 80);
  });
  await shot(owner, 'leads-settings');

  // ---- 100,000 older leads, straight into the database (no API makes leads in bulk) ----
  step(`seeding ${SEEDED.toLocaleString()} older leads`);
  const probe = await api(baton.base, 'POST', '/v1/visitor/conversations', { channel: 'api' });
  const formSupported = !!probe.contact_form;
  if (!formSupported) fail('the contact form is on at the start, but visitor_start has none');
  python(
    `
import sqlite3, sys, random
from datetime import datetime, timedelta, timezone
con = sqlite3.connect(sys.argv[1], timeout=30)
sample = con.execute("SELECT created_at FROM conversations ORDER BY id DESC LIMIT 1").fetchone()[0]
sep = 'T' if 'T' in sample else ' '
zone = '+00:00' if sample.endswith('+00:00') else 'Z'
def stamp(d):
    return d.strftime('%Y-%m-%d' + sep + '%H:%M:%S.%f') + zone
first = ['Maria', 'Jonas', 'Lena', 'Pedro', 'Sofia', 'Tomasz', 'Aiko', 'Omar', 'Chloe', 'Lukas',
         'Ines', 'Mateo', 'Freya', 'Yusuf', 'Elena', 'Noah', 'Priya', 'Kofi', 'Marta', 'Emil']
last = ['Garcia', 'Novak', 'Berg', 'Silva', 'Rossi', 'Kowalski', 'Tanaka', 'Haddad', 'Martin',
        'Weber', 'Costa', 'Lopez', 'Larsen', 'Demir', 'Ivanova', 'Smith', 'Iyer', 'Mensah']
rng = random.Random(11)
start = datetime.now(timezone.utc) - timedelta(days=400)
n = int(sys.argv[2])
step = timedelta(days=398) / n
rows = []
for i in range(n):
    f, l = rng.choice(first), rng.choice(last)
    email = f'{f}.{l}.{i}@example.net'.lower()
    at = stamp(start + step * i)
    phone = '+4930' + str(1000000 + i) if i % 3 == 0 else None
    rows.append((1, f'seed-{i}', f'{f} {l}', email, email, phone, 'gathering', at, at))
con.executemany(
    "INSERT INTO leads (agent_id, visitor_id, name, email, email_key, phone, source, created_at, updated_at) "
    "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)", rows)
con.commit()
print(con.execute("SELECT COUNT(*) FROM leads").fetchone()[0])
`,
    baton.dbPath,
    String(SEEDED),
  );

  // ---- A visitor leaves their details in the widget ----
  const site = await shopSite(baton);
  const shopper = await newContext({ viewport: { width: 1280, height: 860 } });
  const visitor = watcher.watch(await shopper.newPage(), 'visitor', /status of 422/);
  await visitor.goto(site.url);
  await visitor.locator('[data-baton-widget] .bubble').click();
  const panel = visitor.locator('[data-baton-widget] .panel');
  const log = panel.getByRole('log', { name: 'Messages' });
  const box = panel.getByRole('textbox', { name: 'Your message' });
  const leadSource = 'Contact form';
  if (formSupported) {
    step('the widget: the contact form as the chat opens');
    const cform = panel.locator('form.cform');
    await expectText(cform, /Before we start: how can we reach you\?/, 'the form heading');
    const name = cform.getByLabel('Name');
    const email = cform.getByLabel('Email');
    const phone = cform.getByLabel('Phone (optional)');
    const consent = cform.getByRole('checkbox', { name: /I agree that Acme stores my details/ });
    await until(visitor, 'the name field focused', () => {
      const root = document.querySelector('[data-baton-widget]').shadowRoot;
      return root.activeElement?.getAttribute('name') === 'name';
    });
    // Sent empty: each required field and the consent box say what is missing.
    await visitor.keyboard.press('Enter');
    await expectText(cform.locator('.ferr'), /Please fill in your name\./, 'name required');
    await expectText(cform.locator('.ferr'), /Please fill in your email\./, 'email required');
    await expectText(cform.locator('.ferr'), /Tick the box to agree first\./, 'consent required');
    if ((await name.getAttribute('aria-invalid')) !== 'true') fail('name not marked invalid');
    await name.fill('Anna Schmidt');
    await email.fill('anna@example');
    await phone.fill('030 1234567');
    await consent.check();
    if (await cform.locator('.ferr:not(:empty)').count()) fail('problems stay after the fixes');
    await cform.getByRole('button', { name: 'Send' }).click();
    await expectText(
      cform.locator('.ferr'),
      /Enter an email address like name@example\.com\./,
      'a bad email address',
    );
    if ((await email.getAttribute('aria-invalid')) !== 'true') fail('email not marked invalid');
    await shot(visitor, 'widget-contact-form');
    await email.fill('anna@example.com');
    const problems = await axe(visitor);
    if (problems.length) fail(`widget accessibility problems:\n${problems.join('\n')}`);
    await cform.getByRole('button', { name: 'Send' }).click();
    await expectText(
      log.locator('.m.ai'),
      /How can we help you, Anna Schmidt\?/,
      'the thank-you message naming the visitor',
    );
    await cform.waitFor({ state: 'detached' });
    await box.fill("I'm Anna, anna@example.com, can you send me a quote for 40 mugs?");
    await box.press('Enter');
    await log.locator('.m.me time').first().waitFor();
  }
  const anna = await until(
    owner,
    'the lead of Anna',
    async (rpcUrl) => {
      const r = await fetch(rpcUrl, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json' },
        body: JSON.stringify({ search: 'anna@example.com' }),
      });
      const page = await r.json();
      return page.leads?.[0] ?? null;
    },
    `${baton.base}/v1/rpc/lead_list`,
  );
  step(`lead #${anna.id} from conversation #${anna.conversation_id}`);

  // ---- The Leads page ----
  step('the Leads page: search, details, conversation');
  await owner
    .getByRole('navigation', { name: 'Main' })
    .getByRole('link', { name: 'Leads' })
    .click();
  await owner.getByRole('heading', { name: 'Leads', level: 1 }).waitFor();
  const rows = owner.getByTestId('lead-row');
  await rows.first().waitFor();
  await expectText(
    owner.getByTestId('lead-count'),
    /^200 leads loaded, more as you scroll$/,
    'the first page',
  );
  await expectText(rows.first(), /Anna Schmidt/, 'the newest lead first');
  await owner.getByLabel('Search').fill('anna@');
  await expectText(owner.getByTestId('lead-count'), /^1 lead$/, 'one lead found');
  await rows.first().click();
  const detail = owner.getByTestId('lead-detail');
  await detail.getByRole('heading', { name: 'Anna Schmidt' }).waitFor();
  await expectText(detail.locator('dd'), /^anna@example\.com$/, 'the email');
  await expectText(detail.locator('dd'), new RegExp(`^${leadSource}$`), 'the source in words');
  if (formSupported) {
    await expectText(
      detail.getByTestId('lead-consent'),
      /I agree that Acme stores my details.*agreed \d/,
      'the consent text and time',
    );
    await expectText(detail.locator('dd'), /^\+49\s?30\s?1234567$/, 'the phone in E.164');
  } else {
    await expectText(detail.getByTestId('lead-consent'), /Not asked/, 'no consent asked');
  }
  await owner.getByLabel('Search').fill('');
  await expectText(owner.getByTestId('lead-count'), /more as you scroll/, 'the list again');
  await owner.evaluate(() => document.activeElement?.blur());
  await owner.evaluate(() => window.scrollTo(0, 0));
  await owner.waitForTimeout(300);
  await shot(owner, 'leads');

  // The conversation opens in the Inbox.
  await detail.getByTestId('lead-conversation').first().click();
  await until(owner, 'the inbox', (id) => location.hash === `#/inbox/${id}`, anna.conversation_id);
  await owner.locator('main h1').first().waitFor();
  await owner.goBack();
  await detail.getByRole('heading', { name: 'Anna Schmidt' }).waitFor();

  // ---- Only the rows in view are in the page; scrolling loads the next pages ----
  step('a virtualised list of 100,000 leads');
  const inDom = () => rows.count();
  if ((await inDom()) > MAX_ROWS_IN_DOM) fail(`${await inDom()} rows in the page`);
  for (let i = 0; i < 3; i++) {
    await owner
      .getByTestId('lead-list')
      .locator('.viewport')
      .evaluate((v) => (v.scrollTop = v.scrollHeight));
    await owner.waitForTimeout(250);
  }
  await expectText(
    owner.getByTestId('lead-count'),
    /^(4|6|8)00 leads loaded, more as you scroll$/,
    'more pages loaded while scrolling',
  );
  const counted = await inDom();
  if (counted > MAX_ROWS_IN_DOM || counted === 0)
    fail(`${counted} rows in the page after scrolling`);
  // By keyboard: a row, then the next one.
  await rows.last().focus();
  const before = Number(await owner.evaluate(() => document.activeElement.dataset.index));
  await owner.keyboard.press('ArrowDown');
  await until(
    owner,
    'the next row focused',
    (n) => Number(document.activeElement?.dataset.index) === n + 1,
    before,
  );
  await owner.keyboard.press('Enter');
  await until(owner, 'the row opened', () => /^#\/leads\/\d+$/.test(location.hash));

  // ---- Export: XLSX and CSV, caught as downloads ----
  step('export: XLSX');
  await owner.goto(`${baton.base}/#/leads/${anna.id}`);
  await owner.getByRole('button', { name: 'Export…' }).click();
  const dialog = owner.getByRole('dialog', { name: 'Export leads' });
  await expectText(
    dialog.getByTestId('export-zone'),
    /Whole days in the business time zone \(UTC, from Working hours\), both\s+ends included/,
    'the days explained',
  );
  await dialog.getByLabel('From').fill(day(-1));
  await dialog.getByLabel('To').fill(day(0));
  if (!(await dialog.getByRole('radio', { name: /Excel workbook/ }).isChecked()))
    fail('XLSX is not the default');
  let download = owner.waitForEvent('download');
  await dialog.getByRole('button', { name: 'Export', exact: true }).click();
  const xlsx = join(files, 'leads.xlsx');
  await (await download).saveAs(xlsx);
  await expectText(
    dialog.getByTestId('export-progress'),
    /^Saved 1 lead to leads-.*\.xlsx\.$/,
    'the XLSX saved',
  );
  const bar = dialog.locator('progress');
  if ((await bar.getAttribute('value')) !== (await bar.getAttribute('max')))
    fail('the progress bar is not full');
  await shot(owner, 'leads-export');
  const book = JSON.parse(
    python(
      `
import json, sys, datetime, openpyxl
ws = openpyxl.load_workbook(sys.argv[1]).active
rows = list(ws.iter_rows(values_only=True))
print(json.dumps({
  "header": list(rows[0]),
  "rows": [[v.isoformat() if isinstance(v, datetime.datetime) else v for v in r] for r in rows[1:]],
  "dates": [isinstance(v, datetime.datetime) for v in rows[1]] if len(rows) > 1 else [],
}))
`,
      xlsx,
    ),
  );
  const head = book.header;
  for (const h of ['ID', 'Created (UTC)', 'Name', 'Email', 'Phone', 'Source', 'Other details'])
    if (!head.includes(h)) fail(`XLSX header without ${h}: ${JSON.stringify(head)}`);
  if (book.rows.length !== 1) fail(`XLSX rows: ${JSON.stringify(book.rows)}`);
  const row = Object.fromEntries(head.map((h, i) => [h, book.rows[0][i]]));
  if (row.Email !== 'anna@example.com' || row.Name !== 'Anna Schmidt' || row.ID !== anna.id)
    fail(`XLSX row: ${JSON.stringify(row)}`);
  if (!book.dates[head.indexOf('Created (UTC)')]) fail('XLSX: the Created cell is not a date');
  if (!String(row['Created (UTC)']).startsWith(anna.created_at.slice(0, 10)))
    fail(`XLSX: created ${row['Created (UTC)']} vs ${anna.created_at}`);

  step('export: CSV, a column left out, the byte-order mark');
  await dialog.getByRole('radio', { name: /CSV/ }).check();
  const bom = dialog.getByRole('checkbox', { name: /byte-order mark/ });
  if (!(await bom.isChecked())) fail('the BOM is not on by default');
  await dialog.getByRole('checkbox', { name: 'Consent given' }).uncheck();
  download = owner.waitForEvent('download');
  await dialog.getByRole('button', { name: 'Export', exact: true }).click();
  const csvPath = join(files, 'leads.csv');
  await (await download).saveAs(csvPath);
  await expectText(dialog.getByTestId('export-progress'), /^Saved 1 lead to .*\.csv\.$/, 'CSV');
  const bytes = readFileSync(csvPath);
  if (!(bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf)) fail('CSV without a BOM');
  const table = JSON.parse(
    python(
      `
import csv, json, sys
with open(sys.argv[1], encoding='utf-8-sig', newline='') as f:
    print(json.dumps(list(csv.reader(f))))
`,
      csvPath,
    ),
  );
  const [csvHead, ...csvRows] = table;
  if (csvHead.includes('Consent given (UTC)')) fail(`CSV has the column left out: ${csvHead}`);
  if (!csvHead.includes('Consent') || !csvHead.includes('Email')) fail(`CSV header: ${csvHead}`);
  const csvRow = Object.fromEntries(csvHead.map((h, i) => [h, csvRows[0]?.[i]]));
  if (csvRows.length !== 1 || csvRow.Email !== 'anna@example.com' || csvRow.Name !== 'Anna Schmidt')
    fail(`CSV rows: ${JSON.stringify(table)}`);
  if (!/^\d{4}-\d{2}-\d{2}/.test(csvRow['Created (UTC)'] ?? ''))
    fail(`CSV created: ${csvRow['Created (UTC)']}`);

  step('export: Cancel');
  await owner.route('**/v1/leads/export**', async (r) => {
    await new Promise((ok) => setTimeout(ok, 2000));
    await r.continue().catch(() => {});
  });
  await dialog.getByRole('button', { name: 'Export', exact: true }).click();
  await expectText(dialog.getByTestId('export-progress'), /Preparing the file…/, 'exporting');
  await dialog.getByRole('button', { name: 'Cancel export' }).click();
  await expectText(
    dialog.getByTestId('export-progress'),
    /Export cancelled: nothing was saved\./,
    'cancelled',
  );
  await owner.unroute('**/v1/leads/export**');
  await dialog.getByRole('button', { name: 'Close' }).click();
  await dialog.waitFor({ state: 'hidden' });

  if (formSupported) {
    // ---- The Playground: the form at the start, then at the end (End chat) ----
    step('the Playground: the contact form at the start');
    await owner.goto(`${baton.base}/#/playground`);
    const pgForm = owner.getByTestId('contact-form');
    await expectText(pgForm, /Before we start: how can we reach you\?/, 'the form at the start');
    await pgForm.getByRole('button', { name: 'Send' }).click();
    await expectText(pgForm.locator('.error-text'), /Please fill in your name\./, 'name required');
    await expectText(pgForm.locator('.error-text'), /Tick the box/, 'consent required');
    await pgForm.getByLabel('Name').fill('Pia Park');
    await pgForm.getByLabel('Email').fill('pia@example.com');
    await pgForm.getByRole('checkbox').check();
    await pgForm.getByRole('button', { name: 'Send' }).click();
    const pgLog = owner.getByRole('log', { name: 'Messages' });
    await expectText(pgLog.locator('.msg'), /How can we help you, Pia Park\?/, 'the thank-you');
    await pgForm.waitFor({ state: 'detached' });

    step('the contact form at the end: End chat');
    const atEnd = await rpc('lead_settings_get', {});
    atEnd.contact_form.position = 'at_end';
    await rpc('lead_settings_set', { settings: atEnd });
    await owner.getByRole('button', { name: 'New conversation' }).click();
    await owner.getByLabel('Message as the visitor').fill('Do you ship to Porto?');
    await owner.getByLabel('Message as the visitor').press('Enter');
    await pgLog.locator('.msg.ai').first().waitFor();
    if (await pgForm.count()) fail('the form at the end showed before the end');
    await owner.getByRole('button', { name: 'End chat' }).click();
    await expectText(pgLog, /The visitor ended the chat\./, 'ended');
    await expectText(pgForm, /Before we start/, 'the form after End chat');

    // The widget: End chat asks the server, which answers with the form.
    const later = await newContext({ viewport: { width: 1280, height: 860 } });
    const v2 = watcher.watch(await later.newPage(), 'visitor 2');
    await v2.goto(site.url);
    await v2.locator('[data-baton-widget] .bubble').click();
    const p2 = v2.locator('[data-baton-widget] .panel');
    if (await p2.getByRole('button', { name: 'End chat' }).isVisible())
      fail('End chat before anything was said');
    await p2.getByRole('textbox', { name: 'Your message' }).fill('Just looking, thanks');
    await p2.getByRole('textbox', { name: 'Your message' }).press('Enter');
    await p2.locator('.m.me time').first().waitFor();
    if (await p2.locator('form.cform').count()) fail('the widget showed the end form early');
    await p2.getByRole('button', { name: 'End chat' }).click();
    await expectText(p2.locator('.m.note'), /You ended the chat/, 'the widget says it ended');
    await expectText(p2.locator('form.cform'), /Before we start/, 'the widget form after End chat');
    await p2.getByRole('button', { name: 'End chat' }).waitFor({ state: 'hidden' });
    atEnd.contact_form.position = 'at_start';
    await rpc('lead_settings_set', { settings: atEnd });
  }

  // ---- A viewer reads, changes nothing ----
  step('a viewer');
  await rpc('operator_create', {
    name: 'Vera Viewer',
    email: 'vera@example.com',
    role: 'viewer',
    password: 'another horse battery',
  });
  const vera = await signedIn('vera@example.com', 'another horse battery');
  await vera.goto(`${baton.base}/#/lead-capture`);
  await vera.getByTestId('read-only').waitFor();
  if (!(await vera.getByRole('switch', { name: 'Show the contact form' }).isDisabled()))
    fail('a viewer may switch the contact form');
  if (await vera.locator('.savebar').count()) fail('a viewer has a save bar');
  await vera.goto(`${baton.base}/#/leads/${anna.id}`);
  await vera.getByTestId('lead-detail').getByRole('heading', { name: 'Anna Schmidt' }).waitFor();
  if (await vera.getByRole('button', { name: 'Delete lead…' }).count()) fail('a viewer may delete');

  // ---- On a phone nothing scrolls sideways ----
  step('on a phone');
  const phone = await signedIn(EMAIL, PASSWORD, { viewport: { width: 390, height: 844 } });
  for (const p of ['lead-capture', 'leads', `leads/${anna.id}`]) {
    await phone.goto(`${baton.base}/#/${p}`);
    await phone.locator('main h1').first().waitFor();
    await phone.waitForTimeout(200);
    const wide = await phone.evaluate(() => document.documentElement.scrollWidth);
    if (wide > 390) fail(`#/${p} is ${wide} px wide on a 390 px phone`);
  }

  // ---- Accessibility (a separate context: injecting axe needs the CSP bypassed) ----
  step('accessibility (axe-core)');
  const audit = await newContext({ bypassCSP: true });
  const a11y = await audit.newPage();
  await a11y.goto(baton.base + '/');
  await a11y.getByLabel('Email').fill(EMAIL);
  await a11y.getByLabel('Password').fill(PASSWORD);
  await a11y.getByRole('button', { name: 'Sign in' }).click();
  await a11y.getByRole('navigation', { name: 'Main' }).waitFor();
  const violations = [];
  for (const p of ['lead-capture', `leads/${anna.id}`, 'export']) {
    if (p === 'export') {
      await a11y.getByRole('button', { name: 'Export…' }).click();
      await a11y.getByRole('dialog', { name: 'Export leads' }).waitFor();
    } else {
      await a11y.goto(`${baton.base}/#/${p}`);
      await a11y.locator('main h1').first().waitFor();
      if (p.startsWith('leads/')) await a11y.getByTestId('lead-detail').locator('dl').waitFor();
    }
    await a11y.waitForTimeout(300);
    violations.push(...(await axe(a11y)).map((v) => `${p}: ${v}`));
  }
  if (violations.length) fail(`accessibility problems:\n${violations.join('\n')}`);

  // ---- Deleting a lead, asked first: its conversation stays ----
  step('deleting a lead');
  await owner.goto(`${baton.base}/#/leads/${anna.id}`);
  await detail.getByRole('heading', { name: 'Anna Schmidt' }).waitFor();
  await detail.getByRole('button', { name: 'Delete lead…' }).click();
  const confirm = owner.getByRole('dialog', { name: 'Delete this lead?' });
  await expectText(confirm, /deleted for good/, 'what deleting removes');
  await expectText(confirm, /Its conversation stays in the inbox/, 'what stays');
  await confirm.getByRole('button', { name: 'Delete lead' }).click();
  await expectText(
    owner.locator('.toast'),
    /Deleted the lead's name, email, phone, other details and consent/,
    "the server's words",
  );
  await until(owner, 'the list without it', () => location.hash === '#/leads');
  const gone = await fetch(`${baton.base}/v1/rpc/lead_get`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', ...auth },
    body: JSON.stringify({ id: anna.id }),
  });
  if (gone.status !== 404) fail(`the deleted lead answers ${gone.status}`);
  const kept = await rpc('conversation_open', { id: anna.conversation_id });
  if (kept.conversation.id !== anna.conversation_id) fail('the conversation went too');
  if (await rows.filter({ hasText: 'anna@example.com' }).count()) fail('still in the list');

  site.close();
  if (watcher.errors.length) fail(`errors in the pages:\n${watcher.errors.join('\n')}`);
  ok = true;
  step('passed');
} finally {
  if (!ok) for (const [i, c] of contexts.entries()) await failureShots(c, `leads-${i}`);
  await browser.close();
  await baton.cleanup();
  rmSync(files, { recursive: true, force: true });
  if (!ok) console.error(`[leads] server log:\n${baton.log}`);
}
