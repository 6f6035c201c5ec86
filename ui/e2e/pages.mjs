// End-to-end test of the configuration pages: read-only for roles that may not change them,
// validation that marks every invalid field and clears when it is fixed, the save bar never
// covering the focused control, a refused change on the Team page put back, the public address
// on the Settings page, the playground's decision records in words, and the words.
// A real `baton serve` on a fresh SQLite database, driven in Debian's Chromium (as run.mjs).
//
//   npm run build && node e2e/pages.mjs       (part of `npm run e2e`)
//
// Environment: BATON_BIN, CHROMIUM, SCREENSHOTS_DIR, E2E_HEADED, as in run.mjs.

import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';

const UI = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const REPO = resolve(UI, '..');
const BIN = process.env.BATON_BIN ?? join(REPO, 'target/debug/baton');
const CHROMIUM = process.env.CHROMIUM ?? '/usr/bin/chromium';
const SHOTS = resolve(UI, process.env.SCREENSHOTS_DIR ?? 'e2e/out');
const PASSWORD = 'correct horse battery';
const PEOPLE = [
  { name: 'Olivia Owner', email: 'olivia@example.com', role: 'owner' },
  { name: 'Sam Support', email: 'sam@example.com', role: 'agent' },
  { name: 'Vera Viewer', email: 'vera@example.com', role: 'viewer' },
];
const started = Date.now();

function step(name) {
  console.log(`[pages ${((Date.now() - started) / 1000).toFixed(1)}s] ${name}`);
}

function fail(msg) {
  throw new Error(msg);
}

// ---------- the server ----------

if (!existsSync(join(UI, 'dist/index.html'))) fail('ui/dist is missing: run `npm run build` first');
if (!existsSync(BIN)) {
  step('building the baton binary');
  const b = spawnSync('cargo', ['build', '--bin', 'baton'], { cwd: REPO, stdio: 'inherit' });
  if (b.status !== 0) fail('cargo build --bin baton failed');
}
if (!existsSync(CHROMIUM)) fail(`no browser at ${CHROMIUM}: apt-get install -y chromium`);

const tmp = mkdtempSync(join(tmpdir(), 'baton-pages-'));
const db = `sqlite://${join(tmp, 'baton.db')}`;
const env = {
  ...process.env,
  BATON_UI_DIR: join(UI, 'dist'),
  BATON_LOG: 'warn',
  // One browser from one address starts and posts faster than any person: the visitor limits
  // are tested in tests/edge.rs, not here.
  BATON_VISITOR_STARTS_PER_MINUTE: '0',
  BATON_VISITOR_POSTS_PER_MINUTE: '0',
  BATON_CONVERSATION_POSTS_PER_MINUTE: '0',
};

step('creating an owner, an operator and a viewer');
for (const p of PEOPLE) {
  const add = spawnSync(
    BIN,
    [
      '--db',
      db,
      'operator',
      'add',
      '--name',
      p.name,
      '--email',
      p.email,
      '--role',
      p.role,
      '--password-stdin',
    ],
    { input: PASSWORD + '\n', env, encoding: 'utf8' },
  );
  if (add.status !== 0) fail(`operator add failed: ${add.stderr}`);
}

step('starting baton serve');
const server = spawn(BIN, ['--db', db, 'serve', '--bind', '127.0.0.1:0'], { env });
let serverLog = '';
const base = await new Promise((ok, ko) => {
  const timer = setTimeout(() => ko(new Error(`server did not start:\n${serverLog}`)), 30_000);
  const onData = (d) => {
    serverLog += d.toString();
    const m = /serving on (http:\/\/127\.0\.0\.1:\d+)/.exec(serverLog);
    if (m) {
      clearTimeout(timer);
      ok(m[1]);
    }
  };
  server.stdout.on('data', onData);
  server.stderr.on('data', onData);
  server.on('exit', (code) => ko(new Error(`server exited (${code}):\n${serverLog}`)));
});
step(`server at ${base}`);

// ---------- the browser ----------

const browser = await chromium.launch({
  executablePath: CHROMIUM,
  headless: !process.env.E2E_HEADED,
  args: [
    ...(process.env.E2E_HEADED ? [] : ['--headless']),
    '--no-sandbox',
    '--disable-gpu',
    '--disable-background-networking',
    '--disable-component-update',
    '--disable-sync',
    '--no-first-run',
    '--disable-quic',
  ],
});
const errors = [];
async function signedIn(who, viewport = { width: 1280, height: 800 }) {
  const context = await browser.newContext({
    viewport,
    timezoneId: 'UTC',
    locale: 'en-GB',
    colorScheme: 'light',
  });
  context.setDefaultTimeout(10_000);
  const page = await context.newPage();
  page.on('pageerror', (e) => errors.push(`${who.name}: ${e.message}`));
  page.on('console', (m) => {
    // Expected: /v1/auth/me before sign-in (401), the server's 422 for a server-side check,
    // the 409 of the refused demotion. The browser logs those responses as errors.
    if (m.type() === 'error' && !/status of (401|409|422)/.test(m.text()))
      errors.push(`${who.name}: ${m.text()}`);
  });
  await page.goto(base + '/');
  await page.getByLabel('Email').fill(who.email);
  await page.getByLabel('Password').fill(PASSWORD);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.getByRole('navigation', { name: 'Main' }).waitFor();
  return page;
}

mkdirSync(SHOTS, { recursive: true });
async function shot(page, name, { top = true } = {}) {
  await page.evaluate((top) => {
    document.querySelectorAll('.toast button').forEach((b) => b.click());
    if (top) window.scrollTo(0, 0);
  }, top);
  await page.locator('.toast').first().waitFor({ state: 'detached' });
  await page.screenshot({ path: join(SHOTS, `${name}.png`) });
}

async function expectText(locator, re, what) {
  try {
    await locator.filter({ hasText: re }).first().waitFor();
  } catch {
    const actual = await locator.allInnerTexts().catch(() => []);
    fail(`${what}: expected ${re}, saw ${JSON.stringify(actual)}`);
  }
}

async function gone(locator, what) {
  try {
    await locator.first().waitFor({ state: 'detached' });
  } catch {
    fail(`${what}: still shown: ${JSON.stringify(await locator.allInnerTexts())}`);
  }
}

/** Fails unless the focused element is `locator` and lies wholly above the save bar. */
async function focusedAboveBar(page, locator, what) {
  await page.waitForFunction((el) => document.activeElement === el, await locator.elementHandle());
  // Focus scrolling may be smooth in some setups: wait until the position settles.
  const boxes = await page.evaluate(
    async (el) => {
      let last = -1;
      for (;;) {
        await new Promise((r) => requestAnimationFrame(() => r(null)));
        const y = el.getBoundingClientRect().top;
        if (y === last) break;
        last = y;
      }
      const bar = document.querySelector('.savebar').getBoundingClientRect();
      const r = el.getBoundingClientRect();
      return { top: r.top, bottom: r.bottom, bar: bar.top, view: innerHeight };
    },
    await locator.elementHandle(),
  );
  if (boxes.top < 0 || boxes.bottom > boxes.bar)
    fail(
      `${what}: the focused control (${boxes.top}–${boxes.bottom}) is under the save bar (${boxes.bar})`,
    );
}

/** A core command as the owner (over HTTP with a bearer token), failing loudly. */
let ownerToken = null;
async function rpc(command, args = {}) {
  const post = async (path, body, headers = {}) => {
    const res = await fetch(base + path, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json', ...headers },
      body: JSON.stringify(body),
    });
    const text = await res.text();
    if (!res.ok) fail(`POST ${path}: ${res.status} ${text}`);
    return text ? JSON.parse(text) : null;
  };
  ownerToken ??= (await post('/v1/auth/login', { email: PEOPLE[0].email, password: PASSWORD }))
    .token;
  return post(`/v1/rpc/${command}`, args, { Authorization: `Bearer ${ownerToken}` });
}

const saved = (page) => page.getByRole('region', { name: 'Save changes' });
const banner = (page) => page.locator('.banner.error');

let ok = false;
try {
  const owner = await signedIn(PEOPLE[0]);
  let updates = 0;
  owner.on('request', (r) => r.url().includes('/v1/rpc/handoff_config_update') && updates++);

  // ---- Handoff: every invalid field marked, in plain words, cleared when fixed ----
  step('handoff: checks before saving');
  await owner.getByRole('link', { name: 'Handoff', exact: true }).click();
  await expectText(
    owner.getByTestId('handoff-how'),
    /writes one of your keywords, it hands off at once, without that question/,
    'explicit requests and keywords skip the question',
  );
  const maxFailed = owner.getByLabel('Hand over after unanswered questions in a row');
  await maxFailed.fill('-1');
  const keywords = owner.getByRole('textbox', { name: 'Keywords' });
  await keywords.fill('refund');
  await keywords.press('Enter');
  await keywords.fill('Refund');
  await keywords.press('Enter');
  await expectText(
    owner.locator('[data-field="settings.keywords"] .error-text'),
    /‘refund’ is already in the list/,
    'duplicate keyword',
  );
  if ((await owner.getByRole('list', { name: 'Keywords' }).getByRole('listitem').count()) !== 1)
    fail('the duplicate keyword was added');
  await keywords.fill('');
  await gone(owner.locator('[data-field="settings.keywords"] .error-text'), 'duplicate message');
  await owner.getByRole('button', { name: 'Save changes' }).click();
  await expectText(banner(owner), /Nothing was saved: 1 field needs fixing\./, 'banner');
  const maxFailedError = owner.locator('.field.inline .error-text');
  await expectText(maxFailedError, /Enter a whole number from 0 \(off\) to 20/, 'field error');
  if ((await maxFailed.getAttribute('aria-invalid')) !== 'true') fail('field not marked invalid');
  if (updates !== 0) fail('the invalid draft was sent to the server');
  // The jump to the invalid field leaves it above the save bar.
  await focusedAboveBar(owner, maxFailed, 'after jumping to the invalid field');
  await maxFailed.fill('3');
  await gone(maxFailedError, 'field error after the fix');
  await gone(banner(owner), '"Nothing was saved" after the fix');

  step('handoff: a server-side error in plain words, cleared when fixed');
  await owner.getByRole('switch', { name: 'Email on handoff' }).click();
  const emails = owner.getByRole('textbox', { name: 'Send to' });
  await emails.fill('ops@example..com'); // the browser's check lets it through, the server not
  await emails.press('Enter');
  await owner.getByRole('button', { name: 'Save changes' }).click();
  const emailField = owner.locator('[data-field="settings.emails"]');
  await expectText(
    emailField.locator('.error-text'),
    /Enter an email address like name@example\.com/,
    'server email error',
  );
  await expectText(banner(owner), /Nothing was saved: 1 field needs fixing/, 'server banner');
  await focusedAboveBar(owner, emails, 'after jumping to the server-marked field');
  await shot(owner, 'handoff-validation', { top: false });
  await emailField.getByRole('button', { name: 'Remove ops@example..com' }).click();
  await gone(emailField.locator('.error-text'), 'email error after removing it');
  await gone(banner(owner), 'banner after removing the bad address');
  await emails.fill('ops@example.com');
  await emails.press('Enter');
  await owner.getByRole('button', { name: 'Save changes' }).click();
  await expectText(saved(owner), /All changes saved/, 'saved handoff');

  // ---- The save bar never covers the focused control ----
  step('handoff: Tab never lands under the save bar');
  // Put a control just under the bar, focus the one before it, and Tab.
  const target = owner.getByLabel('Hand over after unanswered questions in a row');
  const before = owner.getByRole('switch', { name: 'Automatic priority' });
  await owner.evaluate(
    ([t, b]) => {
      // Twice: the sticky bar only sticks once the page is scrolled.
      for (let i = 0; i < 2; i++) {
        const bar = document.querySelector('.savebar').getBoundingClientRect();
        window.scrollBy(0, t.getBoundingClientRect().top - (bar.top + 4));
      }
      b.focus({ preventScroll: true });
    },
    [await target.elementHandle(), await before.elementHandle()],
  );
  const covered = await owner.evaluate(
    (t) => {
      const bar = document.querySelector('.savebar').getBoundingClientRect();
      const r = t.getBoundingClientRect();
      return r.bottom > bar.top && r.top < bar.bottom
        ? null
        : `target ${r.top}–${r.bottom}, bar ${bar.top}–${bar.bottom}, scrollY ${scrollY}`;
    },
    await target.elementHandle(),
  );
  if (covered) fail(`set-up: the next control is not under the bar: ${covered}`);
  await owner.keyboard.press('Tab');
  await focusedAboveBar(owner, target, 'after Tab');

  // ---- Working hours: the switch says what it is ----
  step('working hours: switch text follows its state');
  await owner.getByRole('link', { name: 'Working hours' }).click();
  const hoursSwitch = owner.getByRole('switch', { name: /^Working hours are (on|off)$/ });
  await hoursSwitch.waitFor();
  if ((await hoursSwitch.getAttribute('aria-checked')) !== 'false') fail('hours start on');
  await expectText(owner.locator('.switch-row .label'), /Working hours are off/, 'off label');
  await hoursSwitch.click();
  await expectText(owner.locator('.switch-row .label'), /Working hours are on/, 'on label');
  if ((await hoursSwitch.getAttribute('aria-checked')) !== 'true') fail('switch not on');
  // An impossible period is marked at its field before anything is sent.
  await owner.getByLabel('Period 1 end').fill('09:00');
  await owner.getByRole('button', { name: 'Save changes' }).click();
  await expectText(
    owner.locator('tr.err .error-text'),
    /The end must differ from the start/,
    'period error',
  );
  await focusedAboveBar(owner, owner.getByLabel('Period 1 end'), 'period end');
  await owner.getByLabel('Period 1 end').fill('17:00');
  await gone(owner.locator('tr.err .error-text'), 'period error after the fix');
  await gone(banner(owner), 'hours banner after the fix');
  await owner.getByRole('button', { name: 'Discard' }).click();

  // ---- Team: a refused change is put back, with the server's reason ----
  step('team: demoting the last owner is refused and reverted');
  await owner.getByRole('link', { name: 'Team' }).click();
  const myRole = owner.getByLabel('Role of Olivia Owner');
  const samRole = await owner
    .getByLabel('Role of Sam Support')
    .evaluate((el) => [el.value, el.selectedOptions[0].textContent.trim()]);
  if (samRole.join() !== 'agent,Operator') fail(`the agent role is shown as ${samRole}`);
  await myRole.selectOption('admin');
  await expectText(
    owner.locator('.error-text[id^="row-error-"]'),
    /last active owner/,
    'refusal under the row',
  );
  await owner.waitForFunction((el) => el.value === 'owner', await myRole.elementHandle());
  await shot(owner, 'team-refused');

  // ---- Settings: the public address links in emails use ----
  step('settings: the public address');
  await owner.getByRole('link', { name: 'Settings' }).click();
  const address = owner.getByRole('region', { name: 'Public address' });
  const addressInput = address.getByLabel('Public address');
  const now = address.getByTestId('public-url-effective');
  await expectText(
    now,
    new RegExp(`Links use ${base.replaceAll('.', '\\.')}: the server’s own address`),
    'the default is where the server listens',
  );
  // Not a full address: a plain error at the field, and nothing saved.
  await addressInput.fill('baton.example.com');
  await addressInput.press('Enter');
  const addressError = address.locator('#public-url-error');
  await expectText(
    addressError,
    /^Enter a full address, such as https:\/\/baton\.example\.com$/,
    'invalid public address',
  );
  if ((await addressInput.getAttribute('aria-invalid')) !== 'true')
    fail('the public address is not marked invalid');
  if (!/public-url-error/.test(await addressInput.getAttribute('aria-describedby')))
    fail('the error is not tied to the field');
  if ((await rpc('settings_public_url_get')).saved !== null) fail('the invalid address was saved');
  await expectText(now, /the server’s own address/, 'still the server address after the error');
  // Fixing it clears the error at once; saving it makes it what links use.
  await addressInput.fill('https://support.example.com/');
  await gone(addressError, 'public address error after the fix');
  await address.getByRole('button', { name: 'Save address' }).click();
  await expectText(now, /Links use https:\/\/support\.example\.com\./, 'saved address in use');
  if (/server’s own/.test(await now.innerText())) fail('a saved address called the server’s own');
  const stored = await rpc('settings_public_url_get');
  if (stored.saved !== 'https://support.example.com' || stored.effective !== stored.saved)
    fail(`stored public address: ${JSON.stringify(stored)}`);
  if ((await addressInput.inputValue()) !== 'https://support.example.com')
    fail('the field does not show the saved address');
  await shot(owner, 'settings');
  // Back to the server's own address.
  await address.getByRole('button', { name: 'Use the server’s address' }).click();
  await expectText(
    now,
    new RegExp(`Links use ${base.replaceAll('.', '\\.')}: the server’s own address`),
    'cleared: the server address again',
  );
  if ((await addressInput.inputValue()) !== '') fail('the field still holds the cleared address');
  if ((await rpc('settings_public_url_get')).saved !== null) fail('the address was not cleared');
  if (await address.getByRole('button', { name: 'Use the server’s address' }).count())
    fail('"Use the server’s address" offered with nothing saved');

  step('settings: a login over an unencrypted SMTP connection is warned about');
  const clear = owner.getByTestId('smtp-clear-login');
  await owner.locator('#smtp-security').selectOption('none');
  if (await clear.count()) fail('the clear-login warning without a login');
  await owner.locator('#smtp-user').fill('baton');
  await expectText(clear, /unencrypted/, 'the clear-login warning');
  await clear.scrollIntoViewIfNeeded();
  await owner.screenshot({ path: join(SHOTS, 'smtp-clear-login.png') });
  await owner.locator('#smtp-security').selectOption('starttls');
  await gone(clear, 'the warning with STARTTLS');

  // ---- An operator (role `agent`) sees the configuration read-only ----
  step('operator: configuration pages are read-only');
  const sam = await signedIn(PEOPLE[1]);
  await expectText(
    sam.getByRole('navigation', { name: 'Main' }),
    /Operator/,
    'role in the sidebar',
  );
  for (const [link, control] of [
    ['Handoff', 'Handoff to operators'],
    ['Working hours', /^Working hours are (on|off)$/],
  ]) {
    await sam.getByRole('link', { name: link, exact: true }).click();
    await expectText(
      sam.getByTestId('read-only'),
      /Only an owner or admin can change this\. Your role is Operator/,
      `${link}: read-only note`,
    );
    const sw = sam.getByRole('switch', { name: control });
    await sw.waitFor();
    if (!(await sw.isDisabled())) fail(`${link}: the switch can be changed`);
    if (await saved(sam).count()) fail(`${link}: a save bar on a read-only page`);
  }
  await sam.getByRole('link', { name: 'Handoff', exact: true }).click();
  await sam.getByTestId('read-only').waitFor();
  if (!(await sam.getByLabel('Confirmation message').isDisabled())) fail('message editable');
  if (!(await sam.getByRole('button', { name: 'Add guideline' }).isDisabled()))
    fail('Add guideline is enabled');
  await shot(sam, 'read-only');

  await sam.getByRole('link', { name: 'Topic routing' }).click();
  await sam.getByTestId('read-only').waitFor();
  if (await sam.getByRole('button', { name: /Add (the first )?profile/ }).count())
    fail('routing: Add profile shown');
  await sam.getByRole('link', { name: 'Team' }).click();
  await sam.getByTestId('read-only').waitFor();
  if (await sam.getByRole('button', { name: 'Add teammate' }).count()) fail('team: Add shown');
  if (!(await sam.getByLabel('Role of Olivia Owner').isDisabled())) fail('team: role editable');
  await sam.getByRole('link', { name: 'AI agents' }).click();
  await sam.getByTestId('read-only').waitFor();
  if (await sam.getByRole('button', { name: 'New AI agent' }).count()) fail('agents: New shown');
  await sam.getByRole('link', { name: 'Settings' }).click();
  await expectText(sam.getByTestId('read-only'), /Only an owner can change this/, 'tokens note');
  await expectText(
    sam.getByRole('region', { name: 'Public address' }).getByTestId('read-only'),
    /Only an owner or admin can change this/,
    'public address note',
  );
  if (await sam.locator('#public-url').count()) fail('settings: public address editable');
  if (await sam.locator('.banner.warn').count()) fail('settings: load errors shown');

  step('viewer: read-only too');
  const vera = await signedIn(PEOPLE[2]);
  await vera.getByRole('link', { name: 'Working hours', exact: true }).click();
  await expectText(vera.getByTestId('read-only'), /Your role is Viewer/, 'viewer note');
  if (await saved(vera).count()) fail('viewer: a save bar');

  // ---- Playground: decision records in words ----
  step('playground: decision records in words');
  const team = await rpc('operator_list');
  const samId = team.find((o) => o.email === PEOPLE[1].email).id;
  await rpc('handoff_config_update', {
    agent_id: null,
    configuration: {
      settings: { is_active: true },
      routing_profiles: [
        {
          id: null,
          name: 'Billing',
          description: 'invoices, payments, refunds, charges',
          is_active: true,
          user_ids: [samId],
        },
      ],
    },
  });
  await owner.getByRole('link', { name: 'Playground' }).click();
  await owner.getByRole('heading', { name: 'Chat' }).waitFor();
  const pgMessage = owner.getByLabel('Message as the visitor');
  await pgMessage.fill('I want to talk to a person about a refund of my payment');
  await pgMessage.press('Enter');
  await expectText(owner.getByTestId('decision'), /Routing/, 'a routing record');
  await expectText(owner.getByTestId('decision'), /Assignment/, 'an assignment record');
  const decisions = owner.getByRole('region', { name: 'Decisions' });
  await expectText(
    decisions.getByTestId('decision-group'),
    /“I want to talk to a person about a refund of my payment”/,
    'the group is titled by the message',
  );
  const records = await decisions.innerText();
  for (const bad of [/Message #\d/i, /profile:\d/, /operator:\d/, /custom:\d/, /\bbuiltin\b/]) {
    if (bad.test(records)) fail(`playground decision records show ${bad}: ${records}`);
  }
  if (!/Built-in engine/.test(records)) fail(`no readable engine label: ${records}`);
  if (!/'Billing'/.test(records) || !/Sam Support/.test(records))
    fail(`records do not name the profile and the operator: ${records}`);

  // ---- Topic routing: example phrases on a profile, routed across languages ----
  step('routing: example phrases');
  await owner.getByRole('link', { name: 'Topic routing' }).click();
  const phrases = owner.getByRole('textbox', { name: 'Example phrases (optional, any language)' });
  await phrases.first().fill('I was charged twice');
  await phrases.first().press('Enter');
  await owner.getByRole('button', { name: 'Save changes' }).click();
  await expectText(saved(owner), /All changes saved/, 'saved routing');
  await owner.reload();
  await expectText(owner.locator('main'), /I was charged twice/, 'the example after a reload');
  await shot(owner, 'routing-examples');
  await owner.getByRole('link', { name: 'Playground' }).click();
  await owner.getByRole('heading', { name: 'Chat' }).waitFor();
  await owner.getByRole('button', { name: 'New conversation' }).click();
  const pg2 = owner.getByLabel('Message as the visitor');
  await pg2.fill('ich möchte mit jemandem sprechen, die Zahlung wurde doppelt abgebucht');
  await pg2.press('Enter');
  await expectText(
    owner.getByTestId('decision'),
    /matched 'Billing'.*topics:/,
    'routed to Billing by its topics, in German',
  );

  // ---- Words ----
  step('words');
  const nav = await owner.getByRole('navigation', { name: 'Main' }).innerText();
  if (!/AI agents/.test(nav)) fail(`nav: ${nav}`);

  if (errors.length) fail(`errors in the page:\n${errors.join('\n')}`);
  ok = true;
  step('passed');
} catch (e) {
  for (const [i, c] of browser.contexts().entries()) {
    for (const [j, p] of c.pages().entries()) {
      await p.screenshot({ path: join(SHOTS, `pages-failure-${i}-${j}.png`) }).catch(() => {});
    }
  }
  throw e;
} finally {
  await browser.close().catch(() => {});
  server.kill('SIGTERM');
  await new Promise((r) => server.once('exit', r));
  rmSync(tmp, { recursive: true, force: true });
  if (!ok) console.error(`[pages] server log:\n${serverLog}`);
}
