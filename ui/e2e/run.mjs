// End-to-end test: a real `baton serve` on a fresh SQLite database on 127.0.0.1, driven through
// the built UI in Debian's Chromium with playwright-core.
//
//   npm run build && npm run e2e
//
// Environment:
//   BATON_BIN         the baton binary (default: ../target/debug/baton, built if missing)
//   CHROMIUM          the browser (default: /usr/bin/chromium)
//   SCREENSHOTS_DIR   where to save screenshots (default: e2e/out; the docs use ../docs/screenshots)
//   E2E_HEADED=1      show the browser

import { spawn, spawnSync } from 'node:child_process';
import { createServer } from 'node:http';
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
const AXE = join(UI, 'node_modules/axe-core/axe.min.js');
const EMAIL = 'olivia@example.com';
const PASSWORD = 'correct horse battery';
const KEYWORD = 'manager please';
const started = Date.now();

function step(name) {
  console.log(`[e2e ${((Date.now() - started) / 1000).toFixed(1)}s] ${name}`);
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

const tmp = mkdtempSync(join(tmpdir(), 'baton-e2e-'));
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

step('creating the owner operator');
const add = spawnSync(
  BIN,
  [
    '--db',
    db,
    'operator',
    'add',
    '--name',
    'Olivia Owner',
    '--email',
    EMAIL,
    '--role',
    'owner',
    '--password-stdin',
  ],
  { input: PASSWORD + '\n', env, encoding: 'utf8' },
);
if (add.status !== 0) fail(`operator add failed: ${add.stderr}`);

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
const context = await browser.newContext({
  viewport: { width: 1360, height: 860 },
  timezoneId: 'UTC',
  locale: 'en-GB',
  colorScheme: 'light',
});
context.setDefaultTimeout(10_000);
const errors = [];
function watch(page, name) {
  page.on('pageerror', (e) => errors.push(`${name}: ${e.message}`));
  page.on('console', (m) => {
    // Expected by design: the /v1/auth/me before sign-in (401), the wrong password (401) and
    // the over-long message (422). The browser logs those responses as errors.
    if (m.type() === 'error' && !/status of (401|422)/.test(m.text()))
      errors.push(`${name}: ${m.text()}`);
  });
  return page;
}

mkdirSync(SHOTS, { recursive: true });
async function shot(page, name, { top = true } = {}) {
  // Calm pictures for the docs: no notifications, from the top of the page.
  await page.evaluate((top) => {
    document.querySelectorAll('.toast button').forEach((b) => b.click());
    if (top) window.scrollTo(0, 0);
  }, top);
  await page.waitForTimeout(150); // let transitions settle
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

const cleanups = [];
// The next Monday (the playground simulates 10:00 Tokyo time on it) and a holiday that is
// never that Monday (the Tuesday after).
const nextMonday = new Date();
nextMonday.setUTCDate(nextMonday.getUTCDate() + ((8 - nextMonday.getUTCDay()) % 7 || 7));
const monday = nextMonday.toISOString().slice(0, 10);
const holiday = new Date(nextMonday.getTime() + 86_400_000).toISOString().slice(0, 10);

let ok = false;
try {
  const page = watch(await context.newPage(), 'main');

  // ---- Sign in ----
  step('sign in');
  await page.goto(base + '/');
  await page.getByRole('heading', { name: 'Sign in to Baton' }).waitFor();
  await page.getByLabel('Email').fill(EMAIL);
  await page.getByLabel('Password').fill('wrong password');
  await page.getByRole('button', { name: 'Sign in' }).click();
  await expectText(page.getByRole('alert'), /Wrong email or password/, 'sign-in error');
  await page.getByLabel('Password').fill(PASSWORD);
  await shot(page, 'signin');
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.getByRole('navigation', { name: 'Main' }).waitFor();
  await expectText(
    page.getByRole('navigation', { name: 'Main' }),
    /Olivia Owner/,
    'signed-in name',
  );

  // ---- Working hours: configure and see the preview change ----
  step('working hours');
  await page.getByRole('link', { name: 'Working hours', exact: true }).click();
  const status = page.getByTestId('hours-status');
  await expectText(status, /working hours are off/, 'preview before');
  await page.getByRole('switch', { name: /^Working hours are (on|off)$/ }).click();
  const tz = page.getByRole('combobox', { name: 'Business time zone' });
  await tz.click();
  await tz.fill('tokyo');
  await page.getByRole('option', { name: /Asia\/Tokyo/ }).waitFor();
  await tz.press('Enter');
  if ((await tz.inputValue()) !== 'Asia/Tokyo') fail(`time zone is ${await tz.inputValue()}`);
  // The preview follows the unsaved draft: switch, time zone, then an unsaved holiday.
  await expectText(page.getByTestId('hours-unsaved'), /unsaved/, 'unsaved badge');
  await expectText(status, /^(Open now — closes|Closed — opens)/, 'unsaved preview');
  const asOf = page.getByLabel('As of');
  await asOf.fill(`${monday}T01:00`); // Monday 10:00 in Tokyo (the browser runs in UTC)
  await expectText(status, /^Open now — closes 17:00$/, 'unsaved preview, Monday 10:00 Tokyo');
  await expectText(page.getByTestId('hours-visitor'), /UTC:\s*Open now — closes 08:00$/, 'in UTC');
  await page.getByRole('button', { name: 'Add holiday' }).click();
  await page.getByLabel('Date 1', { exact: true }).fill(monday);
  await expectText(
    status,
    /^Closed — opens tomorrow 09:00 \(in 23 h\)$/,
    'unsaved holiday on that Monday',
  );
  await page.getByRole('button', { name: 'Remove Holiday' }).click();
  await expectText(status, /^Open now — closes 17:00$/, 'holiday removed again');
  await page.getByRole('button', { name: 'Now', exact: true }).click();
  // A second period on Saturdays, and a holiday.
  await page.getByRole('button', { name: 'Saturday morning' }).click();
  await page.getByRole('button', { name: 'Add holiday' }).click();
  await page.getByLabel('Date 1', { exact: true }).fill(holiday);
  await page.getByLabel('Name of date 1').fill('Christmas Day');
  await page.getByRole('button', { name: 'Save changes' }).click();
  await expectText(
    page.getByRole('region', { name: 'Save changes' }),
    /All changes saved/,
    'saved hours',
  );
  await expectText(status, /^(Open now — closes|Closed — opens)/, 'preview after');
  await expectText(
    page.getByTestId('hours-visitor'),
    /(Open now|Closed — opens)/,
    'visitor preview',
  );
  await page.getByRole('combobox', { name: 'For a visitor in' }).click();
  await page.getByRole('combobox', { name: 'For a visitor in' }).fill('new york');
  await page.getByRole('combobox', { name: 'For a visitor in' }).press('Enter');
  await expectText(page.getByTestId('hours-visitor'), /America\/New_York/, 'visitor zone');
  await shot(page, 'working-hours');

  // ---- Handoff: turn on, a custom guideline, a keyword ----
  step('handoff configuration');
  await page.getByRole('link', { name: 'Handoff', exact: true }).click();
  await page.getByRole('switch', { name: 'Handoff to operators' }).click();
  await page.getByRole('button', { name: 'Add guideline' }).click();
  await page.getByLabel('Name', { exact: true }).fill('Refunds');
  await page.getByLabel('When should this hand off?').fill('The visitor wants their money back.');
  const examples = page.getByRole('textbox', { name: 'Example phrases' });
  await examples.fill('I want a refund');
  await examples.press('Enter');
  const keywords = page.getByRole('textbox', { name: 'Keywords' });
  await keywords.fill(KEYWORD);
  await keywords.press('Enter');
  await expectText(
    page.getByRole('list', { name: 'Keywords' }),
    new RegExp(KEYWORD),
    'keyword chip',
  );

  // Unsaved changes are never lost silently.
  await page.getByRole('link', { name: 'Inbox' }).click();
  await page.getByRole('dialog', { name: 'Leave without saving?' }).waitFor();
  await page.getByRole('button', { name: 'Keep editing' }).click();
  if (!page.url().endsWith('#/handoff')) fail(`left the page: ${page.url()}`);

  await page.getByRole('button', { name: 'Save changes' }).click();
  await expectText(
    page.getByRole('region', { name: 'Save changes' }),
    /All changes saved/,
    'saved handoff',
  );

  // A validation error, shown next to its field.
  step('validation error next to its field');
  const confirmation = page.getByLabel('Confirmation message');
  await confirmation.fill('x'.repeat(501));
  const field = page.locator('[data-field="settings.confirmation_message"]');
  await expectText(field.getByTestId('counter'), /501 \/ 500/, 'counter');
  await page.getByRole('button', { name: 'Save changes' }).click();
  await expectText(field.locator('.error-text'), /500/, 'field error');
  if ((await confirmation.getAttribute('aria-invalid')) !== 'true')
    fail('field not marked invalid');
  await field.scrollIntoViewIfNeeded();
  await shot(page, 'handoff-validation', { top: false });
  await page.getByRole('button', { name: 'Discard' }).click();
  await shot(page, 'handoff');

  // ---- The inbox, open in a second tab, to see the handoff arrive live ----
  step('inbox waiting in a second tab');
  const inbox = watch(await context.newPage(), 'inbox');
  await inbox.goto(base + '/#/inbox');
  await inbox.getByRole('tab', { name: /Needs (agent|an operator)/ }).click();
  await expectText(inbox.locator('.listwrap'), /Nobody is waiting/, 'empty inbox');

  // ---- Playground: trigger a handoff with the keyword ----
  step('playground handoff');
  await page.bringToFront();
  await page.getByRole('link', { name: 'Playground', exact: true }).click();
  await page.getByRole('heading', { name: 'Chat' }).waitFor();
  // A Monday 10:00 in Tokyo (01:00 UTC), inside the working hours.
  await page.getByLabel('Simulated time').fill(`${monday}T01:00`);
  const message = page.getByLabel('Message as the visitor');
  await message.fill(`Hi, my order never arrived. ${KEYWORD}!`);
  await message.press('Enter');
  await expectText(
    page.getByTestId('playground-status'),
    /Needs (agent|an operator)/,
    'playground status',
  );
  // Handed off by the keyword, at once (no question first), each step on record.
  await expectText(page.getByTestId('decision'), /Keyword\s*triggered/, 'keyword decision');
  await expectText(page.getByTestId('decision'), /Handoff\s*completed/, 'handoff decision');
  await expectText(page.getByRole('log', { name: 'Messages' }), /Handed off/, 'confirmation');
  await shot(page, 'playground');

  // ---- It appears live in the other tab ----
  step('live in the inbox');
  await inbox.bringToFront();
  const item = inbox.getByTestId('inbox-item').filter({ hasText: /Needs (agent|an operator)/ });
  await item.waitFor();
  if ((await inbox.getByTestId('inbox-item').count()) !== 1) fail('expected one conversation');
  await expectText(
    inbox.getByRole('tab', { name: /Needs (agent|an operator)/ }),
    /1/,
    'needs agent count',
  );
  await shot(inbox, 'inbox');

  // ---- Take over, reply, resolve (keyboard) ----
  step('take over, reply, resolve');
  await inbox.keyboard.press('j');
  await inbox.keyboard.press('Enter');
  const pane = inbox.getByRole('region', { name: /Conversation with/ });
  await pane.waitFor();
  await expectText(pane.locator('aside'), /Why this was handed off/, 'handoff reason');
  await pane.getByRole('button', { name: 'Take over' }).click();
  await expectText(pane.locator('.badge'), /Assigned/, 'assigned');
  await inbox.keyboard.press('r');
  await inbox.keyboard.type('Hi, I am Olivia. Let me look into it.');
  await inbox.keyboard.press('Control+Enter');
  await expectText(pane.getByRole('log'), /Let me look into it/, 'reply in transcript');
  // The visitor (playground tab) sees it live.
  await expectText(
    page.getByRole('log', { name: 'Messages' }),
    /Let me look into it/,
    'reply at visitor',
  );
  await inbox.getByRole('tab', { name: /All open/ }).click();
  await inbox.getByTestId('inbox-item').first().waitFor();
  await shot(inbox, 'conversation');
  await inbox.locator('body').click({ position: { x: 5, y: 5 } });
  await inbox.keyboard.press('?');
  await inbox.getByRole('dialog', { name: 'Keyboard shortcuts' }).waitFor();
  await shot(inbox, 'shortcuts');
  await inbox.keyboard.press('Escape');
  await inbox.keyboard.press('e');
  await expectText(pane.locator('.badge'), /Resolved/, 'resolved');
  await expectText(inbox.getByRole('tab', { name: /Resolved/ }), /1/, 'resolved count');

  // ---- The website widget, on another origin ----
  step('widget on a customer website');
  await page.bringToFront();
  // Real time now, so make people available whatever the clock says.
  await page.getByRole('link', { name: 'Working hours', exact: true }).click();
  await page.getByRole('switch', { name: /^Working hours are (on|off)$/ }).click();
  await page.getByRole('button', { name: 'Save changes' }).click();
  await expectText(status, /working hours are off/, 'hours off again');
  const shop = watch(await context.newPage(), 'shop');
  // A customer website on another origin (its own server on another port), as in real life:
  // every call of the widget to Baton is cross-origin.
  const shopServer = createServer((_req, res) => {
    res.writeHead(200, { 'Content-Type': 'text/html; charset=utf-8' });
    res.end(`<!doctype html><html lang="en"><title>Shop</title><body><h1>Acme shop</h1>
      <script src="${base}/widget.js" data-agent="1" data-title="Acme support" async></script></body></html>`);
  });
  await new Promise((ok) => shopServer.listen(0, '127.0.0.1', ok));
  cleanups.push(() => shopServer.close());
  const shopUrl = `http://127.0.0.1:${shopServer.address().port}/`;
  await shop.goto(shopUrl);
  await shop.bringToFront();
  await shop.getByRole('button', { name: 'Acme support' }).click();
  const widgetLog = shop.getByRole('log', { name: 'Messages' });
  await expectText(widgetLog, /How can we help/, 'greeting');
  const box = shop.getByRole('textbox', { name: 'Your message' });
  await box.fill('How much does shipping to Lisbon cost?');
  await box.press('Enter');
  // No knowledge base yet: the agent asks whether to hand off; answer with the Yes button.
  step('widget: yes');
  await shop.getByRole('button', { name: 'Yes' }).click();
  await expectText(widgetLog, /transfer you/, 'widget confirmation');
  await shot(shop, 'widget');

  step('operator reply reaches the widget live');
  await inbox.bringToFront();
  await inbox.getByRole('tab', { name: /Needs (agent|an operator)/ }).click();
  await inbox
    .getByTestId('inbox-item')
    .filter({ hasText: /Needs (agent|an operator)/ })
    .first()
    .click();
  await expectText(pane.locator('.badge'), /Needs (agent|an operator)/, 'widget conversation open');
  await expectText(pane.getByRole('log'), /shipping to Lisbon/, 'widget transcript');
  await pane
    .getByRole('textbox', { name: 'Reply to the visitor' })
    .fill('Shipping to Lisbon is 4 EUR.');
  await pane.getByRole('button', { name: 'Send reply' }).click();
  await expectText(widgetLog, /4 EUR/, 'operator reply in the widget');
  // Hand it back to the AI with an instruction.
  await pane.getByRole('button', { name: 'Hand back to the AI agent' }).click();
  await inbox
    .getByLabel('Instruction for the AI (optional)')
    .fill('Offer free shipping over 50 EUR.');
  await inbox.getByRole('button', { name: 'Hand back', exact: true }).click();
  await expectText(pane.locator('.badge'), /With (the )?AI/, 'handed back');

  // ---- The other pages ----
  step('team, routing, agents, settings');
  await page.bringToFront();
  await page.getByRole('link', { name: 'Team', exact: true }).click();
  await page.getByRole('button', { name: 'Add teammate' }).click();
  await page.getByLabel('Name').fill('Sam Support');
  await page.getByLabel('Email').fill('sam@example.com');
  await page.getByLabel('Role', { exact: true }).selectOption('agent');
  await page.getByRole('dialog').getByRole('button', { name: 'Add teammate' }).click();
  await expectText(page.locator('table'), /Sam Support/, 'new operator');
  await shot(page, 'team');

  step('routing');
  await page.getByRole('link', { name: 'Topic routing' }).click();
  await page.getByRole('button', { name: 'Add profile' }).first().click();
  await page.getByLabel('Topic').fill('Billing');
  await page.getByLabel('When does a conversation belong here?').fill('Invoices and refunds.');
  await page.getByRole('checkbox', { name: /Sam Support/ }).check();
  await page.getByRole('button', { name: 'Save changes' }).click();
  await expectText(
    page.getByRole('region', { name: 'Save changes' }),
    /All changes saved/,
    'saved routing',
  );
  await shot(page, 'routing');

  step('agents');
  await page.getByRole('link', { name: 'Agents' }).click();
  await page.getByRole('button', { name: 'Add entry' }).click();
  await page.getByLabel('Question or title').fill('How much is shipping?');
  await page.getByLabel('Answer or text').fill('Shipping is free over 50 EUR, otherwise 4 EUR.');
  await page.getByRole('button', { name: 'Save entry' }).click();
  await expectText(page.getByRole('list').last(), /How much is shipping/, 'knowledge entry');
  await page.getByRole('radio', { name: /OpenAI-compatible/ }).check();
  await page.getByLabel('Base URL').waitFor();
  await page.getByRole('radio', { name: /Built-in/ }).check();
  step('agents: test connection');
  await page.getByRole('button', { name: 'Test connection' }).click();
  await page.getByTestId('engine-test').waitFor();
  await shot(page, 'agents');

  step('settings');
  await page.getByRole('link', { name: 'Settings' }).click();
  const snippet = await page.getByLabel('Widget snippet').inputValue();
  if (!snippet.includes(`${base}/widget.js`)) fail(`snippet: ${snippet}`);
  await page.getByLabel('Name', { exact: true }).fill('CRM sync');
  await page.getByRole('button', { name: 'Create token' }).click();
  await page.getByRole('dialog', { name: 'Your new token' }).waitFor();
  const token = await page.getByLabel('Token', { exact: true }).inputValue();
  if (!token.startsWith('baton_')) fail(`token: ${token}`);
  await page.getByRole('button', { name: 'Done' }).click();
  await shot(page, 'settings');

  // ---- Accessibility: axe-core on every page (a separate context: injecting axe needs the
  // CSP bypassed, and the main context keeps the real CSP so any violation shows as an error).
  step('accessibility (axe-core)');
  const audit = await browser.newContext({
    viewport: { width: 1360, height: 860 },
    bypassCSP: true,
    // E2E_DARK=1 audits the dark theme instead.
    colorScheme: process.env.E2E_DARK ? 'dark' : 'light',
  });
  const a11y = await audit.newPage();
  await a11y.goto(base + '/');
  const violations = [];
  async function axe(where) {
    await a11y.addScriptTag({ path: AXE });
    const found = await a11y.evaluate(async () => {
      const r = await window.axe.run(document, {
        runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'] },
      });
      return r.violations.map(
        (v) => `${v.id}: ${v.help} (${v.nodes.map((n) => n.target.join(' ')).join(', ')})`,
      );
    });
    violations.push(...found.map((v) => `${where}: ${v}`));
  }
  await a11y.getByRole('heading', { name: 'Sign in to Baton' }).waitFor();
  await axe('sign-in');
  await a11y.getByLabel('Email').fill(EMAIL);
  await a11y.getByLabel('Password').fill(PASSWORD);
  await a11y.getByRole('button', { name: 'Sign in' }).click();
  await a11y.getByRole('navigation', { name: 'Main' }).waitFor();
  for (const p of [
    'inbox',
    'inbox/1',
    'playground',
    'agents',
    'handoff',
    'hours',
    'routing',
    'team',
    'settings',
  ]) {
    await a11y.goto(`${base}/#/${p}`);
    await a11y.locator('main h1, main h2').first().waitFor();
    await a11y.waitForTimeout(300);
    await axe(p);
  }
  await audit.close();
  if (violations.length) fail(`accessibility problems:\n${violations.join('\n')}`);

  if (errors.length) fail(`errors in the page:\n${errors.join('\n')}`);
  ok = true;
  step('passed');
} catch (e) {
  for (const [i, p] of context.pages().entries()) {
    await p.screenshot({ path: join(SHOTS, `failure-${i}.png`) }).catch(() => {});
  }
  throw e;
} finally {
  await browser.close().catch(() => {});
  cleanups.forEach((f) => f());
  server.kill('SIGTERM');
  await new Promise((r) => setTimeout(r, 300));
  rmSync(tmp, { recursive: true, force: true });
  if (!ok) console.error(`[e2e] server log:\n${serverLog}`);
}
