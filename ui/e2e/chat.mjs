// Chat elements and form and button actions, end to end. The owner adds a "Pricing" button
// group on the Actions page (Action buttons: a built-in icon found by search, a second button
// without one), turns on the email and WhatsApp handover channels on the Handoff page (a
// number the page refuses first), and on the Actions page builds a return-request form that
// runs the shop's returns API (fields by type, a key typed, one moved up, a choice with its
// options) and a "Book a call" button. A visitor on the shop's site, at phone width (390 px):
// a question about prices shows the group's links under the answer, a question about shipping
// does not; the links open in a new tab without an opener, and the click is on the
// conversation's timeline; a reload shows the buttons again. The visitor asks for a person:
// the transition message and one button per channel; the WhatsApp link carries the
// conversation's summary; the email channel's form, sent, brings the confirmation message and
// an email at the support address, received by a real SMTP server on loopback
// (tests/support/smtp_sink.py). The inbox names the click and the choice. At 1280 px the
// buttons show too and the "Book a call" button comes with its message, its click noted.
// Another visitor at 390 px returns an order: the form is checked in the widget, sent, the
// shop's API gets the values and its answer is the reply; the run is in the execution log and
// the lead has the email. A German visitor gets the widget and its checks in German. The
// Playground renders the buttons. axe-core on the widget and the pages. Screenshots:
// action-buttons.png, handover-channels.png, action-form.png, actions-kinds.png,
// widget-buttons-390.png, widget-channels-390.png, widget-buttons-1280.png,
// widget-form-errors-390.png, widget-form-390.png, widget-form-de.png, playground-buttons.png.
//
//   npm run build && node e2e/chat.mjs     (part of `npm run e2e`)

import { spawn } from 'node:child_process';
import { createServer } from 'node:http';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  EMAIL,
  PASSWORD,
  REPO,
  api,
  axe,
  errorWatch,
  expectText,
  fail,
  failureShots,
  freshBaton,
  launchBrowser,
  preflight,
  shopSite,
  shot,
  signIn,
  stepper,
} from './lib.mjs';

const step = stepper('chat');
preflight();

// ---- A real SMTP server on loopback: every message a .json file in `mail` ----
const mail = mkdtempSync(join(tmpdir(), 'baton-chat-mail-'));
const sink = spawn(
  'python3',
  [join(REPO, 'tests/support/smtp_sink.py'), '--port', '0'].concat('--dir', mail),
  {
    stdio: ['pipe', 'pipe', 'inherit'],
  },
);
const smtpPort = await new Promise((ok, ko) => {
  let out = '';
  sink.stdout.on('data', (d) => {
    out += d.toString();
    const m = /^(\d+)\s*$/m.exec(out);
    if (m) ok(Number(m[1]));
  });
  sink.on('exit', (code) =>
    ko(new Error(`the SMTP sink exited (${code}); is aiosmtpd installed?`)),
  );
});

/** The messages the SMTP server received, decoded by it. */
function received() {
  return readdirSync(mail)
    .filter((f) => f.endsWith('.json'))
    .sort()
    .map((f) => JSON.parse(readFileSync(join(mail, f), 'utf8')));
}

/** Waits (at most 20 s) for a message `match` accepts. */
async function mailFor(what, match) {
  const deadline = Date.now() + 20_000;
  for (;;) {
    const m = received().find(match);
    if (m) return m;
    if (Date.now() > deadline) fail(`no email ${what}; received ${JSON.stringify(received())}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

const baton = freshBaton();
await baton.start();
step(`server at ${baton.base}, SMTP on ${smtpPort}`);
const token = await signIn(baton.base);
const auth = { Authorization: `Bearer ${token}` };
const rpc = (command, args) => api(baton.base, 'POST', `/v1/rpc/${command}`, args, auth);
await rpc('settings_smtp_set', {
  host: '127.0.0.1',
  port: smtpPort,
  security: 'none',
  username: null,
  password: null,
  from: 'Acme support <support-bot@acme.example>',
});
await rpc('handoff_config_update', {
  agent_id: null,
  configuration: { settings: { is_active: true, timezone: 'UTC' } },
});
// What the agent knows, so that it answers these questions itself.
await rpc('knowledge_create', {
  title: 'What do the plans cost?',
  body: 'The basic plan costs 9 EUR a month and the premium plan 29 EUR a month.',
});
await rpc('knowledge_create', {
  title: 'Do you ship to Portugal?',
  body: 'Yes, we ship everywhere in Portugal, Porto and Lisbon included, in 2 to 3 days.',
});
const shop = await shopSite(baton);

// ---- The shop's returns API, on loopback: what it was sent ----
const returns = [];
const shopApi = createServer((req, res) => {
  let body = '';
  req.on('data', (c) => (body += c));
  req.on('end', () => {
    res.writeHead(req.method === 'POST' && req.url === '/returns' ? 201 : 404, {
      'Content-Type': 'application/json',
    });
    if (req.method !== 'POST' || req.url !== '/returns') return res.end('{}');
    returns.push(JSON.parse(body));
    res.end(JSON.stringify({ return_id: `R-${70 + returns.length}` }));
  });
});
await new Promise((ok) => shopApi.listen(0, '127.0.0.1', ok));
const shopApiBase = `http://127.0.0.1:${shopApi.address().port}`;
// The HTTP action the form runs (made on the Actions page in e2e/actions.mjs; here by the API).
await rpc('action_create', {
  name: 'create_return',
  description: 'Registers a return with the shop; used by the return form.',
  method: 'POST',
  url: `${shopApiBase}/returns`,
  parameters: [
    { name: 'order_id', location: 'body', type: 'string', required: true },
    { name: 'reason', location: 'body', type: 'string', required: true },
    { name: 'email', location: 'body', type: 'email', required: true },
  ],
  reply_template: 'Your return {{response.return_id}} for order {{params.order_id}} is registered.',
  allow: ['127.0.0.1'],
  active: false,
});
// Every visitor of the website loads the widget: it goes gzipped.
const widgetFile = await fetch(`${baton.base}/widget.js`, {
  headers: { 'Accept-Encoding': 'gzip' },
});
if (widgetFile.headers.get('content-encoding') !== 'gzip')
  fail(`widget.js is not sent gzipped: ${widgetFile.headers.get('content-encoding')}`);
await widgetFile.arrayBuffer();

const browser = await launchBrowser();
// Expected in the console: the 401 before sign-in.
const watcher = errorWatch();
const contexts = [];
async function newContext(viewport, extra = {}) {
  const context = await browser.newContext({
    viewport,
    timezoneId: 'UTC',
    locale: 'en-GB',
    colorScheme: 'light',
    ...extra,
  });
  context.setDefaultTimeout(10_000);
  // The links lead outside this machine: answered here instead.
  for (const host of ['https://example.com/**', 'https://wa.me/**'])
    await context.route(host, (r) =>
      r.fulfill({ contentType: 'text/html', body: '<title>Elsewhere</title>' }),
    );
  contexts.push(context);
  return context;
}

/** The visitor's conversation id, from what the widget remembers. */
const widgetConversation = (page) =>
  page.evaluate(() => {
    const key = Object.keys(localStorage).find((k) => k.startsWith('baton.widget.'));
    return JSON.parse(localStorage.getItem(key)).id;
  });

let ok = false;
try {
  // ---- The owner: a button group ----
  const ownerContext = await newContext({ width: 1280, height: 900 });
  const owner = watcher.watch(await ownerContext.newPage(), 'owner', /status of 401/);
  await owner.goto(baton.base + '/');
  await owner.getByLabel('Email').fill(EMAIL);
  await owner.getByLabel('Password').fill(PASSWORD);
  await owner.getByRole('button', { name: 'Sign in' }).click();
  const nav = owner.getByRole('navigation', { name: 'Main' });
  await nav.waitFor();

  step('Actions → Action buttons: a pricing group');
  await nav.getByRole('link', { name: 'Actions' }).click();
  await owner.getByRole('link', { name: 'Action buttons' }).click();
  await owner.getByRole('button', { name: 'Add a button group' }).click();
  const group = owner.getByTestId('button-group').first();
  // The new group's name has the focus.
  await owner.keyboard.type('Pricing');
  await group
    .getByLabel('When should these buttons appear?')
    .fill('When the visitor asks about prices, plans or what something costs');
  const examples = group.getByRole('textbox', { name: 'Example visitor messages (optional)' });
  await examples.fill('How much is the premium plan?');
  await examples.press('Enter');
  await examples.fill('What are your prices?');
  await examples.press('Enter');
  const rows = group.getByTestId('button-row');
  await rows.nth(0).getByRole('textbox', { name: 'Button text' }).fill('See our prices');
  await rows.nth(0).getByRole('textbox', { name: 'Link' }).fill('https://example.com/pricing');
  await rows
    .nth(0)
    .getByRole('button', { name: /^Icon of button 1 .*No icon\. Change$/ })
    .click();
  const picker = owner.getByRole('dialog', { name: 'Choose an icon' });
  await picker.getByLabel('Search icons').fill('dollar');
  const found = picker.getByRole('list', { name: 'Built-in icons' }).getByRole('button');
  // The whole set shows until the search's answer replaces it: wait for the narrowing itself.
  try {
    await found.filter({ hasText: 'calendar' }).first().waitFor({ state: 'detached' });
  } catch {
    fail('the search did not narrow the icons');
  }
  await found.filter({ hasText: 'dollar-sign' }).first().waitFor();
  await found.filter({ hasText: 'dollar-sign' }).first().click();
  await picker.waitFor({ state: 'hidden' });
  await rows
    .nth(0)
    .getByRole('button', { name: /dollar-sign\. Change$/ })
    .waitFor();
  // The UI's own check first: a second button with a bad link.
  await group.getByRole('button', { name: 'Add a button' }).click();
  await owner.keyboard.type('Book a demo');
  await rows.nth(1).getByRole('textbox', { name: 'Link' }).fill('example.com/demo');
  await owner.getByRole('button', { name: 'Save changes' }).click();
  await expectText(rows.nth(1).locator('.error-text'), /https:\/\//, 'the link without a scheme');
  await rows.nth(1).getByRole('textbox', { name: 'Link' }).fill('https://example.com/demo');
  await owner.getByRole('button', { name: 'Save changes' }).click();
  await owner.getByText('All changes saved').waitFor();
  const saved = (await rpc('button_groups_get', {})).groups;
  if (saved.length !== 1 || saved[0].buttons.length !== 2 || !saved[0].id)
    fail(`the group as stored: ${JSON.stringify(saved)}`);
  if (saved[0].buttons[0].icon !== 'lucide:dollar-sign' || saved[0].buttons[1].icon !== null)
    fail(`icons as stored: ${JSON.stringify(saved[0].buttons)}`);
  await shot(owner, 'action-buttons');

  step('Handoff → Handover channels: email and WhatsApp');
  await nav.getByRole('link', { name: 'Handoff', exact: true }).click();
  const card = owner.getByTestId('handover-channels');
  await card.waitFor();
  await card.getByRole('switch', { name: 'Email' }).click();
  await card.getByLabel('Support address').fill('help@acme.example');
  await card.getByRole('switch', { name: 'WhatsApp' }).click();
  // Not in international format: refused on the page, nothing sent.
  await card.getByLabel(/WhatsApp number/).fill('912 345 678');
  await owner.getByRole('button', { name: 'Save changes' }).click();
  await expectText(card.locator('.error-text'), /international format/, 'the local number');
  if ((await rpc('handover_channels_get', {})).whatsapp.enabled) fail('saved despite the error');
  await card.getByLabel(/WhatsApp number/).fill('+351 912 345 678');
  await owner.getByRole('button', { name: 'Save changes' }).click();
  await owner.getByText('All changes saved').waitFor();
  const channels = await rpc('handover_channels_get', {});
  if (
    channels.whatsapp.phone !== '+351912345678' ||
    !channels.email.enabled ||
    !channels.inbox.enabled
  )
    fail(`channels as stored: ${JSON.stringify(channels)}`);
  await card.scrollIntoViewIfNeeded();
  await shot(owner, 'handover-channels');

  step('Actions → New action: a return-request form that calls the shop');
  await nav.getByRole('link', { name: 'Actions' }).click();
  await owner.getByRole('link', { name: 'New action' }).click();
  await owner.getByRole('radio', { name: /Form in the chat/ }).check();
  await owner.getByLabel('Name', { exact: true }).fill('return_request');
  await owner
    .getByLabel('When to use it, and what it returns')
    .fill('Start a return: the visitor wants to send an order back or get a refund.');
  const phrases = owner.getByRole('textbox', { name: 'Example visitor phrases' });
  // Visitors write in German too.
  for (const p of ['I want to return my order', 'Ich möchte meine Bestellung zurückgeben']) {
    await phrases.fill(p);
    await phrases.press('Enter');
  }
  await owner.getByLabel('Title', { exact: true }).fill('Return request');
  const fieldRows = owner.getByTestId('form-field');
  // The first field is an email field; the order number and the reason go before it.
  await owner.getByRole('button', { name: 'Add a field' }).click();
  await owner.keyboard.type('Order number');
  await fieldRows.nth(1).getByLabel('Key').fill('order_id');
  await fieldRows.nth(1).getByLabel('Placeholder').fill('A-1234');
  await fieldRows.nth(1).getByLabel('Required').check();
  await fieldRows.nth(1).getByRole('button', { name: 'Move Order number up' }).click();
  await owner.getByRole('button', { name: 'Add a field' }).click();
  await owner.keyboard.type('Reason');
  await fieldRows.nth(2).getByLabel('Type').selectOption('select');
  await fieldRows.nth(2).getByLabel('Key').fill('reason');
  const choices = fieldRows.nth(2).getByRole('textbox', { name: 'Choices' });
  for (const c of ['Damaged', 'Wrong size', 'Changed my mind']) {
    await choices.fill(c);
    await choices.press('Enter');
  }
  await fieldRows.nth(2).getByLabel('Required').check();
  await owner.getByLabel('Then run').selectOption('create_return');
  await owner.getByRole('button', { name: 'Create action' }).click();
  await owner.getByText('All changes saved').waitFor();
  const formAction = (await rpc('action_list', {})).find((a) => a.name === 'return_request');
  if (!formAction || formAction.type !== 'form') fail('the form action was not stored');
  const formFields = formAction.form.fields.map((f) => `${f.name}:${f.type}`).join(',');
  if (
    formFields !== 'order_id:text,email:email,reason:select' ||
    formAction.form.run_action !== 'create_return'
  )
    fail(`the form as stored: ${JSON.stringify(formAction.form)}`);
  await owner.getByRole('heading', { name: 'The form' }).scrollIntoViewIfNeeded();
  await shot(owner, 'action-form');

  step('Actions → New action: a "Book a call" button');
  await nav.getByRole('link', { name: 'Actions' }).click();
  await owner.getByRole('link', { name: 'New action' }).click();
  await owner.getByRole('radio', { name: /Button in the chat/ }).check();
  await owner.getByLabel('Name', { exact: true }).fill('book_call');
  await owner
    .getByLabel('When to use it, and what it returns')
    .fill('The visitor wants to talk to sales on a call or book a meeting.');
  const callPhrases = owner.getByRole('textbox', { name: 'Example visitor phrases' });
  await callPhrases.fill('can I book a call with sales');
  await callPhrases.press('Enter');
  await owner.getByLabel('Button text').fill('Book a call');
  await owner.getByLabel(/What the agent says with it/).fill('Pick a time that suits you:');
  await owner.getByLabel('Link', { exact: true }).fill('https://example.com/call');
  await owner.getByRole('button', { name: 'Create action' }).click();
  await owner.getByText('All changes saved').waitFor();
  await nav.getByRole('link', { name: 'Actions' }).click();
  const listed = owner.getByTestId('action-row').filter({ hasText: 'book_call' });
  await expectText(listed, /Button.*Book a call/s, 'the button in the list');
  await shot(owner, 'actions-kinds');

  // ---- A visitor on a phone ----
  step('the widget at 390 px: buttons for prices, none for shipping');
  const phoneContext = await newContext({ width: 390, height: 844 });
  const site = watcher.watch(await phoneContext.newPage(), 'shop-390');
  await site.goto(shop.url);
  await site.getByRole('button', { name: /^Acme support/ }).click();
  const panel = site.getByRole('dialog', { name: 'Acme support' });
  const widgetLog = panel.getByRole('log', { name: 'Messages' });
  const box = panel.getByRole('textbox', { name: 'Your message' });
  await box.fill('How much does the premium plan cost?');
  await box.press('Enter');
  const links = panel.getByRole('group', { name: 'Suggested links' });
  await links.waitFor();
  const price = links.getByRole('link', { name: 'See our prices' });
  if ((await price.getAttribute('target')) !== '_blank') fail('the link does not open a new tab');
  if ((await price.getAttribute('rel')) !== 'noopener noreferrer')
    fail('the link keeps its opener');
  if ((await price.getAttribute('href')) !== 'https://example.com/pricing') fail('wrong href');
  const icon = price.locator('img');
  if ((await icon.count()) !== 1) fail('no icon on the first button');
  if (!(await icon.evaluate((i) => i.complete && i.naturalWidth > 0)))
    fail('the icon did not load');
  if ((await links.getByRole('link', { name: 'Book a demo' }).locator('img').count()) !== 0)
    fail('an icon where none was chosen');
  // Under the agent's answer, not before it.
  const order = await widgetLog.evaluate((log) =>
    [...log.children].map((c) => (c.getAttribute('role') === 'group' ? 'links' : c.className)),
  );
  if (order.at(-1) !== 'links' || !/\bai\b/.test(order.at(-2)))
    fail(`the links are not under the answer: ${order.join(', ')}`);
  await box.fill('Do you ship to Porto?');
  await box.press('Enter');
  await widgetLog.locator('.m.ai').nth(2).waitFor();
  if ((await panel.getByRole('group', { name: 'Suggested links' }).count()) !== 1)
    fail('buttons shown for a question about shipping');
  // The decisions say it too (written before the answer exists): one group shown, for prices.
  const shown = (
    await rpc('conversation_open', { id: await widgetConversation(site) })
  ).decisions.filter((d) => d.step === 'buttons' && d.outcome === 'shown');
  if (shown.length !== 1 || !/Pricing/.test(shown[0].reason))
    fail(`buttons decisions: ${JSON.stringify(shown)}`);
  const width = await site.evaluate(() => document.documentElement.scrollWidth);
  if (width > 390) fail(`the page scrolls sideways at 390 px (${width})`);
  await shot(site, 'widget-buttons-390');
  const widgetProblems = await axe(site);
  if (widgetProblems.length) fail(`axe on the widget:\n${widgetProblems.join('\n')}`);

  step('a click opens a new tab and is recorded');
  const conversation = await widgetConversation(site);
  const [tab] = await Promise.all([phoneContext.waitForEvent('page'), price.click()]);
  await tab.waitForLoadState();
  if (tab.url() !== 'https://example.com/pricing') fail(`the new tab is at ${tab.url()}`);
  if (await tab.evaluate(() => window.opener !== null)) fail('the new tab has an opener');
  await tab.close();
  const clickRecorded = async () => {
    const d = await rpc('conversation_open', { id: conversation });
    return d.timeline.find((e) => e.kind === 'button_clicked');
  };
  const deadline = Date.now() + 10_000;
  let clicked;
  while (!(clicked = await clickRecorded()) && Date.now() < deadline)
    await new Promise((r) => setTimeout(r, 100));
  if (!clicked || !/See our prices/.test(clicked.text) || !/Pricing/.test(clicked.text))
    fail(`the click on the timeline: ${JSON.stringify(clicked)}`);

  step('a reload shows the buttons again');
  await site.reload();
  await site.getByRole('button', { name: /^Acme support/ }).click();
  await panel
    .getByRole('group', { name: 'Suggested links' })
    .getByRole('link', { name: 'See our prices' })
    .waitFor();

  step('a handover: the channels, WhatsApp with the summary');
  await box.fill('I want to talk to a human, please');
  await box.press('Enter');
  const ways = panel.getByRole('group', { name: 'Ways to reach us' });
  await ways.waitFor();
  await expectText(
    widgetLog.locator('.m.ai'),
    new RegExp(channels.transition_message.slice(0, 20)),
    'the transition message',
  );
  const names = await ways.locator('a, button').allInnerTexts();
  if (names.length !== 3) fail(`three channels expected: ${names.join(', ')}`);
  const wa = ways.getByRole('link', { name: /WhatsApp/ });
  const waHref = new URL(await wa.getAttribute('href'));
  if (waHref.origin + waHref.pathname !== 'https://wa.me/351912345678')
    fail(`the WhatsApp link: ${waHref}`);
  const prefilled = waHref.searchParams.get('text') ?? '';
  if (!prefilled.includes(`#${conversation}`) && !prefilled.includes(String(conversation)))
    fail(`the WhatsApp text names no conversation: ${prefilled}`);
  if (!/premium plan|human|person/i.test(prefilled))
    fail(`no summary in the WhatsApp text: ${prefilled}`);
  if ((await wa.getAttribute('rel')) !== 'noopener noreferrer')
    fail('WhatsApp link keeps its opener');
  await shot(site, 'widget-channels-390');

  step('the email channel: the form, the confirmation, an email at the support address');
  await ways.getByRole('button', { name: 'Email us' }).click();
  const form = panel.getByRole('form', { name: 'How can our team reach you?' });
  await form.waitFor();
  await form.getByRole('button').last().click();
  await expectText(form.locator('.ferr'), /email/i, 'the required email');
  await form.getByLabel(/^Name/).fill('Rita Sousa');
  await form.getByLabel(/^Email/).fill('rita@example.org');
  await form.getByRole('button').last().click();
  await expectText(
    widgetLog.locator('.m.ai'),
    new RegExp(channels.confirmation_message.slice(0, 20)),
    'the confirmation',
  );
  const support = await mailFor('at help@acme.example', (m) =>
    m.rcpt_tos.includes('help@acme.example'),
  );
  const body = JSON.stringify(support);
  for (const want of ['Rita Sousa', 'rita@example.org', `Conversation id: ${conversation}`])
    if (!body.includes(want)) fail(`the support email lacks ${want}: ${body}`);
  if (!/premium plan|human|person/i.test(body)) fail(`the support email has no summary: ${body}`);

  step('the inbox names the click and the choice');
  await owner.bringToFront();
  await owner.goto(`${baton.base}/#/inbox/${conversation}`);
  const pane = owner.getByRole('region', { name: /Conversation with/ });
  await expectText(pane, /clicked “See our prices”/, 'the click in the inbox');
  await expectText(pane, /chose to reach the team by email/i, 'the choice in the inbox');

  // ---- Desktop width, and the Playground ----
  step('the widget at 1280 px');
  const deskContext = await newContext({ width: 1280, height: 800 });
  const desk = watcher.watch(await deskContext.newPage(), 'shop-1280');
  await desk.goto(shop.url);
  await desk.getByRole('button', { name: /^Acme support/ }).click();
  const deskPanel = desk.getByRole('dialog', { name: 'Acme support' });
  await deskPanel
    .getByRole('textbox', { name: 'Your message' })
    .fill('What are your prices for the basic plan?');
  await deskPanel.getByRole('textbox', { name: 'Your message' }).press('Enter');
  await deskPanel
    .getByRole('group', { name: 'Suggested links' })
    .getByRole('link', { name: 'Book a demo' })
    .waitFor();
  await shot(desk, 'widget-buttons-1280');
  await deskPanel
    .getByRole('textbox', { name: 'Your message' })
    .fill('Can I book a call with your sales team?');
  await deskPanel.getByRole('textbox', { name: 'Your message' }).press('Enter');
  const call = deskPanel
    .getByRole('group', { name: 'Suggested action' })
    .getByRole('link', { name: 'Book a call' });
  await call.waitFor();
  await expectText(
    deskPanel.getByRole('log').locator('.m.ai'),
    /Pick a time that suits you/,
    'the button’s message',
  );
  if (
    (await call.getAttribute('rel')) !== 'noopener noreferrer' ||
    (await call.getAttribute('target')) !== '_blank'
  )
    fail('the button link keeps its opener or stays in the page');
  const deskConversation = await widgetConversation(desk);
  const [callTab] = await Promise.all([deskContext.waitForEvent('page'), call.click()]);
  await callTab.close();
  const callDeadline = Date.now() + 10_000;
  let callClick;
  while (Date.now() < callDeadline) {
    const d = await rpc('conversation_open', { id: deskConversation });
    callClick = d.timeline.find((e) => e.kind === 'button_clicked' && /Book a call/.test(e.text));
    if (callClick) break;
    await new Promise((r) => setTimeout(r, 100));
  }
  if (!callClick) fail('the button action’s click is not on the timeline');

  step('a return at 390 px: the form, checked, sent to the shop');
  const formContext = await newContext({ width: 390, height: 844 });
  const buyer = watcher.watch(await formContext.newPage(), 'shop-form', /status of 422/);
  await buyer.goto(shop.url);
  await buyer.getByRole('button', { name: /^Acme support/ }).click();
  const buyerPanel = buyer.getByRole('dialog', { name: 'Acme support' });
  const buyerBox = buyerPanel.getByRole('textbox', { name: 'Your message' });
  await buyerBox.fill('I want to return my order, the mug arrived broken');
  await buyerBox.press('Enter');
  const returnForm = buyerPanel.getByRole('form', { name: 'Return request' });
  await returnForm.waitFor();
  await returnForm.getByRole('button', { name: 'Send' }).click();
  await expectText(returnForm.locator('.ferr'), /order number/i, 'the required order number');
  if (returns.length) fail('sent to the shop despite the errors');
  await returnForm.getByLabel('Order number').fill('A-4521');
  await returnForm.getByLabel(/^Email/).fill('sam@example');
  await returnForm.getByLabel('Reason').selectOption('Damaged');
  await returnForm.getByRole('button', { name: 'Send' }).click();
  await expectText(returnForm.locator('.ferr'), /email address like/, 'the email without a domain');
  await shot(buyer, 'widget-form-errors-390');
  await returnForm.getByLabel(/^Email/).fill('sam@example.net');
  await returnForm.getByRole('button', { name: 'Send' }).click();
  await expectText(
    buyerPanel.getByRole('log').locator('.m.ai'),
    /Your return R-71 for order A-4521 is registered/,
    'the shop’s answer',
  );
  const sorted = (o) => JSON.stringify(Object.fromEntries(Object.entries(o).sort()));
  if (
    returns.length !== 1 ||
    sorted(returns[0]) !==
      sorted({ order_id: 'A-4521', reason: 'Damaged', email: 'sam@example.net' })
  )
    fail(`the shop got ${JSON.stringify(returns)}`);
  await expectText(
    buyerPanel.getByRole('log').locator('.m.note'),
    /Return request — sent/,
    'the sent form',
  );
  const buyerWidth = await buyer.evaluate(() => document.documentElement.scrollWidth);
  if (buyerWidth > 390) fail(`the form scrolls sideways at 390 px (${buyerWidth})`);
  await shot(buyer, 'widget-form-390');
  const buyerConversation = await widgetConversation(buyer);
  const formLog = await rpc('action_log_list', {
    action_id: (await rpc('action_list', {})).find((a) => a.name === 'create_return').id,
  });
  if (
    formLog.entries.length !== 1 ||
    !formLog.entries[0].reached_conversation ||
    formLog.entries[0].conversation_id !== buyerConversation
  )
    fail(`the run in the log: ${JSON.stringify(formLog.entries)}`);
  const lead = (await rpc('lead_list', { search: 'sam@example.net' })).leads.find(
    (l) => l.source === 'action_form',
  );
  if (!lead) fail('no lead from the form');

  step('a German visitor: the widget in German, the form refused in German');
  const deContext = await newContext({ width: 390, height: 844 }, { locale: 'de-DE' });
  const kunde = watcher.watch(await deContext.newPage(), 'shop-de');
  await kunde.goto(shop.url);
  await kunde.getByRole('button', { name: /^Acme support/ }).click();
  const dePanel = kunde.getByRole('dialog', { name: 'Acme support' });
  const deBox = dePanel.getByRole('textbox', { name: 'Ihre Nachricht' });
  if ((await deBox.getAttribute('placeholder')) !== 'Nachricht schreiben…')
    fail('the widget does not speak German');
  await deBox.fill('Ich möchte meine Bestellung zurückgeben');
  await dePanel.getByRole('button', { name: 'Senden', exact: true }).click();
  const deForm = dePanel.getByRole('form', { name: 'Return request' });
  await deForm.waitFor();
  await deForm.getByRole('button', { name: 'Send' }).click();
  await expectText(deForm.locator('.ferr'), /Bitte füllen Sie dieses Feld aus/, 'the German check');
  await shot(kunde, 'widget-form-de');

  step('the Playground renders the buttons');
  await nav.getByRole('link', { name: 'Playground' }).click();
  const chat = owner.getByRole('region', { name: 'Chat' });
  await chat.getByLabel('Message as the visitor').fill('How much is the premium plan?');
  await chat.getByLabel('Message as the visitor').press('Enter');
  const pgLinks = chat.getByRole('group', { name: 'Suggested links' });
  await pgLinks.getByRole('link', { name: 'See our prices' }).waitFor();
  if (
    !(await pgLinks
      .locator('img')
      .first()
      .evaluate((i) => i.complete && i.naturalWidth > 0))
  )
    fail('the Playground icon did not load');
  await shot(owner, 'playground-buttons');

  // ---- Accessibility (a separate context: injecting axe needs the CSP bypassed) ----
  step('accessibility of the pages (axe-core)');
  const audit = await newContext({ width: 1280, height: 900 }, { bypassCSP: true });
  const a11y = await audit.newPage();
  await a11y.goto(baton.base + '/');
  await a11y.getByLabel('Email').fill(EMAIL);
  await a11y.getByLabel('Password').fill(PASSWORD);
  await a11y.getByRole('button', { name: 'Sign in' }).click();
  await a11y.getByRole('navigation', { name: 'Main' }).waitFor();
  const violations = [];
  for (const [p, ready] of [
    ['actions/buttons', () => a11y.getByTestId('button-group').first().waitFor()],
    ['handoff', () => a11y.getByTestId('handover-channels').waitFor()],
    ['playground', () => a11y.getByRole('region', { name: 'Chat' }).waitFor()],
    [`actions/${formAction.id}`, () => a11y.getByTestId('form-field').first().waitFor()],
  ]) {
    await a11y.goto(`${baton.base}/#/${p}`);
    await ready();
    violations.push(...(await axe(a11y)).map((v) => `${p}: ${v}`));
  }
  await a11y.goto(`${baton.base}/#/actions/buttons`);
  await a11y.getByRole('button', { name: /^Icon of button 1/ }).click();
  await a11y.getByRole('dialog', { name: 'Choose an icon' }).getByRole('button').nth(3).waitFor();
  violations.push(...(await axe(a11y)).map((v) => `icon picker: ${v}`));
  if (violations.length) fail(`accessibility problems:\n${violations.join('\n')}`);

  if (watcher.errors.length) fail(`errors in the page:\n${watcher.errors.join('\n')}`);
  ok = true;
  step('passed');
} catch (e) {
  for (const [i, c] of contexts.entries()) await failureShots(c, `chat-${i}`);
  throw e;
} finally {
  await browser.close().catch(() => {});
  shop.close();
  shopApi.close();
  sink.stdin.end();
  if (!ok) console.error(`[chat] server log:\n${baton.log}`);
  await baton.cleanup();
  if (existsSync(mail)) rmSync(mail, { recursive: true, force: true });
}
