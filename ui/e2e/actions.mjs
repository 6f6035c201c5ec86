// Custom actions from the owner's side (issue 10): a tiny loopback "order API" of the shop is
// started here; the owner creates an order-status action against it on the Actions page (every
// field through the form: a parameter, a variable inserted from the list, a bearer token, the
// reply), sees a server-side field error at its field, tests it (blocked until 127.0.0.1 is on
// its allow-list, then status, body and the rendered reply), turns it off and on from the list,
// confirms a POST test before it is sent, reads the execution log (filtered, opened), deletes an
// action after confirming, and a viewer reads it all without controls. Then the action in a
// conversation, in the Playground: "Where is my order 4521?" is answered with the reply built
// from the API's response, the Action decision record in words; asked without the number the
// agent asks for it and answers once it has it; each run is in the execution log, not a test,
// marked as having reached the conversation, linked to it. And a real visitor: on the shop's
// website (another origin) the widget is asked the same, answered from the API, and the run is
// in the log, linked to the widget's conversation. The bearer token typed into the
// form reaches the API but never the page. axe-core on the three views. Real `baton serve` on
// a fresh SQLite database, Debian's Chromium; screenshots in SCREENSHOTS_DIR (actions.png,
// action-test.png, action-logs.png, action-playground.png, action-widget.png).
//
//   npm run build && node e2e/actions.mjs     (part of `npm run e2e`)

import { mkdirSync } from 'node:fs';
import { createServer } from 'node:http';
import { join } from 'node:path';
import {
  api,
  axe,
  errorWatch,
  expectText,
  fail,
  failureShots,
  freshBaton,
  launchBrowser,
  preflight,
  SHOTS,
  shopSite,
  shot,
  signIn,
  stepper,
  until,
} from './lib.mjs';

const step = stepper('actions');
preflight();

// ---- The shop's order API, on loopback ----
const CANARY = 'canary-Tok3n-5f2e91c7';
const received = [];
// Orders other than these are shipped with the first tracking number.
const ORDERS = { 'A-7788': { status: 'out for delivery', tracking: '1Z999AA10987654321' } };
const shopApi = createServer((req, res) => {
  let body = '';
  req.on('data', (c) => (body += c));
  req.on('end', () => {
    received.push({
      method: req.method,
      url: req.url,
      auth: req.headers.authorization,
      language: req.headers['x-language'],
      body,
    });
    const send = (status, json) => {
      const text = JSON.stringify(json);
      res.writeHead(status, { 'Content-Type': 'application/json' });
      res.end(text);
    };
    const order = /^\/orders\/([^/?]+)/.exec(req.url ?? '');
    if (req.headers.authorization !== `Bearer ${CANARY}`) return send(401, { error: 'who?' });
    if (req.method === 'GET' && order) {
      const id = decodeURIComponent(order[1]);
      return send(200, {
        id,
        status: ORDERS[id]?.status ?? 'shipped',
        carrier: 'UPS',
        tracking: ORDERS[id]?.tracking ?? '1Z999AA10123456784',
        items: [{ name: 'Blue mug', qty: 2 }],
      });
    }
    if (req.method === 'POST' && req.url === '/tickets') return send(201, { ticket: 'T-1001' });
    send(404, { error: 'no such thing' });
  });
});
await new Promise((ok) => shopApi.listen(0, '127.0.0.1', ok));
const SHOP = `http://127.0.0.1:${shopApi.address().port}`;
step(`the shop's order API at ${SHOP}`);

const baton = freshBaton();
await baton.start();
step(`server at ${baton.base}`);
const token = await signIn(baton.base);
const rpc = (command, args) =>
  api(baton.base, 'POST', `/v1/rpc/${command}`, args, { Authorization: `Bearer ${token}` });

const browser = await launchBrowser();
// Expected in the console: the 401 before sign-in, the 422 of the server-side check.
const watcher = errorWatch();
const contexts = [];
async function signedIn(email, password, viewport = { width: 1280, height: 860 }) {
  const context = await browser.newContext({
    viewport,
    timezoneId: 'UTC',
    locale: 'en-GB',
    colorScheme: 'light',
  });
  context.setDefaultTimeout(10_000);
  contexts.push(context);
  const page = watcher.watch(await context.newPage(), email, /status of (401|422)/);
  await page.goto(baton.base + '/');
  await page.getByLabel('Email').fill(email);
  await page.getByLabel('Password').fill(password);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.getByRole('navigation', { name: 'Main' }).waitFor();
  return page;
}

/** Fails if the token shows anywhere in the page: text, markup, or a field's value. */
async function noCanary(page, where) {
  const found = await page.evaluate((canary) => {
    const hits = [];
    if (document.documentElement.outerHTML.includes(canary)) hits.push('markup');
    if (document.body.innerText.includes(canary)) hits.push('text');
    for (const el of document.querySelectorAll('input, textarea, select'))
      if (el.value.includes(canary)) hits.push(`value of #${el.id || el.name || el.tagName}`);
    return hits;
  }, CANARY);
  if (found.length) fail(`${where}: the bearer token is in the page (${found.join(', ')})`);
}

let ok = false;
try {
  const owner = await signedIn('olivia@example.com', 'correct horse battery');

  // ---- The empty Actions page, from the nav ----
  step('the Actions page, empty');
  await owner
    .getByRole('navigation', { name: 'Main' })
    .getByRole('link', { name: 'Actions' })
    .click();
  await owner.getByRole('heading', { name: 'Actions', level: 1 }).waitFor();
  await expectText(owner.getByTestId('actions-empty'), /No actions yet/, 'the empty list');
  await owner.getByRole('link', { name: 'New action' }).first().click();
  await owner.getByRole('heading', { name: 'New action' }).waitFor();

  // ---- Filling the form ----
  step('creating an order-status action through the form');
  const name = owner.locator('#action-name');
  await name.fill('Get order');
  await owner
    .getByLabel('When to use it, and what it returns')
    .fill('Looks up an order by its number: its status, the carrier and the tracking number.');
  // Not "when there is no order number": then the agent asks for it.
  await owner.getByLabel('When not to use it').fill('Not for returns or refunds.');
  const examples = owner.getByRole('textbox', { name: 'Example visitor phrases' });
  await examples.fill('where is my order 4521?');
  await examples.press('Enter');
  await owner.getByRole('button', { name: 'Add parameter' }).click();
  await owner.locator('#p-name-0').fill('order_id');
  await owner.getByLabel('Goes in').selectOption('path');
  await owner.getByLabel('What it is').fill('The order number, like 4521');
  await owner.getByLabel('Example', { exact: true }).fill('4521');
  // The URL, with the parameter inserted from the list of variables at the cursor.
  const url = owner.getByLabel('URL');
  await url.fill(`${SHOP}/orders/`);
  await url.press('End');
  await owner.getByText('Insert a variable', { exact: true }).click();
  await owner.getByRole('button', { name: /\{\{params\.order_id\}\}/ }).click();
  if ((await url.inputValue()) !== `${SHOP}/orders/{{params.order_id}}`)
    fail(`the URL after inserting the variable: ${await url.inputValue()}`);
  await owner.getByText('Insert a variable', { exact: true }).click();
  // A header with a misspelt variable: the server names it at its field.
  await owner.getByRole('button', { name: 'Add header' }).click();
  await owner.getByLabel('Header 1 name').fill('X-Language');
  await owner.getByLabel('Header 1 value').fill('{{langauge}}');
  await owner.locator('#auth-kind').selectOption('bearer');
  await owner.getByLabel('Token').fill(CANARY);
  await owner
    .getByLabel('Reply', { exact: true })
    .fill('Your order {{params.order_id}} is {{response.status}}, tracking {{response.tracking}}.');

  // Ctrl+S: the UI's own check first (the name is not a slug), nothing sent.
  await owner.keyboard.press('Control+s');
  await expectText(
    owner.locator('[data-field="name"] .error-text'),
    /lower-case letters, digits and _/,
    'the name checked before sending',
  );
  if (await owner.evaluate(() => document.activeElement?.id !== 'action-name'))
    fail('the invalid name is not focused');
  await name.fill('get_order_status');
  await owner.keyboard.press('Control+s');
  const headerError = owner.locator('.hrow .error-text');
  await expectText(
    headerError,
    /did you mean \{\{language\}\}/,
    'the server’s error at the header',
  );
  await expectText(owner.locator('.banner.error'), /Nothing was saved/, 'the save bar');
  await owner.getByLabel('Header 1 value').fill('{{language}}');
  await headerError.first().waitFor({ state: 'detached' });
  await owner.getByRole('button', { name: 'Create action' }).click();
  await owner.getByRole('heading', { name: 'get_order_status' }).waitFor();
  await until(owner, 'the action’s own address', () => /#\/actions\/\d+$/.test(location.hash));
  await expectText(owner.getByTestId('secret-stored'), /A secret is stored/, 'the stored secret');
  if ((await owner.getByLabel('Token').inputValue()) !== '')
    fail('the token field is not empty after saving');
  await noCanary(owner, 'after saving');

  // ---- Testing it: blocked until loopback is allowed ----
  step('test: loopback blocked without the allow-list');
  const panel = owner.getByTestId('test-panel');
  if ((await panel.getByLabel(/order_id/).inputValue()) !== '4521')
    fail('the sample value is not the example');
  await panel.getByLabel('{{language}}').fill('en');
  const before = received.length;
  await panel.getByRole('button', { name: 'Run test' }).click();
  await expectText(panel.getByTestId('test-outcome'), /Blocked/, 'a loopback call without allow');
  if (received.length !== before) fail('a blocked call reached the API');

  step('test: allowed, the answer and the reply');
  const allow = owner.getByRole('textbox', { name: 'Allowed private hosts and networks' });
  await allow.fill('127.0.0.1');
  await allow.press('Enter');
  await expectText(
    owner.getByTestId('allow-warning'),
    /may reach your private network/,
    'the allow-list warning',
  );
  // Unsaved: the test saves first.
  await panel.getByRole('button', { name: 'Save and run test' }).click();
  await expectText(panel.getByTestId('test-outcome'), /Success/, 'the outcome');
  await expectText(panel.getByTestId('test-status'), /^200$/, 'the status');
  await expectText(panel.getByTestId('response-body'), /"status": "shipped"/, 'the body');
  await expectText(
    panel.getByTestId('test-reply'),
    /^Your order 4521 is shipped, tracking 1Z999AA10123456784\.$/,
    'the reply the visitor would get',
  );
  await expectText(panel.getByTestId('request-line'), /GET .*\/orders\/4521/, 'the request');
  await expectText(
    panel.locator('.headers'),
    /authorization: Bearer \*\*\*/i,
    'credentials masked',
  );
  await expectText(panel.locator('.headers'), /x-language: en/i, 'the variable filled in');
  const duration = await panel.getByTestId('test-duration').innerText();
  if (!/^\d+ ms$/.test(duration)) fail(`the duration: ${duration}`);
  const got = received.at(-1);
  if (got?.auth !== `Bearer ${CANARY}` || got.url !== '/orders/4521')
    fail(`the API got ${JSON.stringify(got)}`);
  await noCanary(owner, 'after testing');
  // The panel itself, however tall, without the toasts.
  await owner.evaluate(() => document.querySelectorAll('.toast button').forEach((b) => b.click()));
  await owner.locator('.toast').first().waitFor({ state: 'detached' });
  mkdirSync(SHOTS, { recursive: true });
  await panel.screenshot({ path: join(SHOTS, 'action-test.png'), animations: 'disabled' });

  // ---- A POST action asks before its test calls the endpoint ----
  step('a POST test asks first');
  const ticket = await rpc('action_create', {
    agent_id: null,
    name: 'create_ticket',
    description: 'Opens a support ticket with the visitor’s message.',
    when_not_to_use: '',
    examples: [],
    active: true,
    method: 'POST',
    url: `${SHOP}/tickets`,
    headers: [],
    body: '{"text": "{{message.content}}", "channel": "{{conversation.channel}}"}',
    parameters: [],
    auth: { kind: 'bearer', username: null, key_location: null, key_name: null, secret: CANARY },
    timeout_ms: null,
    max_response_bytes: null,
    reply_template: 'I opened ticket {{response.ticket}} for you.',
    failure_message: null,
    on_failure: 'handoff',
    allow: ['127.0.0.1'],
  });
  await owner.goto(`${baton.base}/#/actions/${ticket.id}`);
  await owner.getByRole('heading', { name: 'create_ticket' }).waitFor();
  await panel.getByLabel('{{message.content}}').fill('My mug arrived broken');
  await panel.getByLabel('{{conversation.channel}}').fill('widget');
  const posts = () => received.filter((r) => r.method === 'POST').length;
  await panel.getByRole('button', { name: 'Run test' }).click();
  let dialog = owner.getByRole('dialog', { name: /Really call 127\.0\.0\.1/ });
  await expectText(dialog, /deleted for real/, 'the warning before a POST');
  await dialog.getByRole('button', { name: 'Cancel' }).click();
  await dialog.waitFor({ state: 'hidden' });
  if (posts() !== 0) fail('cancelling still sent the POST');
  await panel.getByRole('button', { name: 'Run test' }).click();
  await dialog.getByRole('button', { name: 'Send the POST request' }).click();
  await expectText(
    panel.getByTestId('test-reply'),
    /I opened ticket T-1001 for you\./,
    'POST reply',
  );
  if (posts() !== 1) fail(`the POST was sent ${posts()} times`);
  if (JSON.parse(received.at(-1).body).text !== 'My mug arrived broken')
    fail(`the POST body: ${received.at(-1).body}`);
  await expectText(panel.getByTestId('request-body'), /"text": "My mug arrived broken"/, 'body');

  // ---- The list: method and host, last run, the Active switch ----
  step('the list');
  await owner.getByRole('link', { name: '← Actions' }).click();
  const rows = owner.getByTestId('action-row');
  await expectText(rows, /get_order_status/, 'the list');
  const orderRow = rows.filter({ hasText: 'get_order_status' });
  await expectText(
    orderRow,
    new RegExp(`GET\\s*127\\.0\\.0\\.1:${shopApi.address().port}`),
    'host',
  );
  await expectText(orderRow, /Success/, 'the last run');
  const active = owner.getByRole('switch', { name: 'get_order_status active' });
  await active.click();
  await until(owner, 'the switch off', () =>
    [...document.querySelectorAll('[role=switch]')].some(
      (s) => s.getAttribute('aria-checked') === 'false',
    ),
  );
  const stored = await rpc('action_list', {});
  if (stored.find((a) => a.name === 'get_order_status')?.active !== false)
    fail('the switch did not turn the action off');
  if (!stored.find((a) => a.name === 'get_order_status')?.auth.has_secret)
    fail('turning it off lost the secret');
  await owner.getByRole('switch', { name: 'get_order_status active' }).click();
  await until(owner, 'the switch on again', () =>
    [...document.querySelectorAll('[role=switch]')].every(
      (s) => s.getAttribute('aria-checked') === 'true',
    ),
  );
  await owner.evaluate(() => document.querySelectorAll('.toast button').forEach((b) => b.click()));
  await owner.locator('.toast').first().waitFor({ state: 'detached' });
  await shot(owner, 'actions');

  // ---- The execution log ----
  step('the execution log');
  await owner.getByRole('link', { name: 'Execution log' }).click();
  const logs = owner.getByTestId('action-logs');
  const logRows = logs.getByTestId('log-row');
  await until(
    owner,
    'three runs',
    () => document.querySelectorAll('[data-testid=log-row]').length === 3,
  );
  const first = await logRows.allInnerTexts();
  if (!/create_ticket/.test(first[0]) || !/Test run/.test(first[0]))
    fail(`newest first, a test run: ${JSON.stringify(first)}`);
  for (const d of await logs.getByTestId('log-duration').allInnerTexts())
    if (!/^\d+ ms$/.test(d)) fail(`a duration: ${d}`);
  await logs.getByLabel('Outcome', { exact: true }).selectOption({ label: 'Blocked' });
  await until(owner, 'only the blocked run', () => {
    const r = document.querySelectorAll('[data-testid=log-row]');
    return r.length === 1 && /Blocked/.test(r[0].textContent);
  });
  await logs.getByRole('button', { name: 'Clear the filters' }).click();
  await logs.getByLabel('Action', { exact: true }).selectOption({ label: 'get_order_status' });
  await until(
    owner,
    'the order runs',
    () => document.querySelectorAll('[data-testid=log-row]').length === 2,
  );
  await logRows
    .first()
    .getByRole('button', { name: /Details of the get_order_status run/ })
    .click();
  await expectText(logs.locator('.headers'), /authorization: Bearer \*\*\*/i, 'the logged request');
  await expectText(
    logs.getByTestId('response-body'),
    /"tracking": "1Z999AA10123456784"/,
    'logged body',
  );
  await noCanary(owner, 'in the log');
  // The whole log, the opened run staying open.
  await logs.getByRole('button', { name: 'Clear the filters' }).click();
  await until(
    owner,
    'all runs',
    () => document.querySelectorAll('[data-testid=log-row]').length === 3,
  );
  await shot(owner, 'action-logs');

  // More than a page: the older runs come with "Load older runs".
  const orderId = (await rpc('action_list', {})).find((a) => a.name === 'get_order_status').id;
  for (let i = 0; i < 50; i++)
    await rpc('action_test', {
      id: orderId,
      params: { order_id: `${9000 + i}` },
      variables: { language: 'en' },
    });
  await logs.getByRole('button', { name: 'Refresh' }).click();
  await until(
    owner,
    'a page of 50',
    () => document.querySelectorAll('[data-testid=log-row]').length === 50,
  );
  await logs.getByRole('button', { name: 'Load older runs' }).click();
  await until(
    owner,
    'all 53 runs',
    () => document.querySelectorAll('[data-testid=log-row]').length === 53,
  );
  if (await logs.getByRole('button', { name: 'Load older runs' }).count())
    fail('"Load older runs" after the last page');
  const times = await logs
    .locator('time')
    .evaluateAll((ts) => ts.map((t) => t.getAttribute('datetime')));
  if (times.some((t, i) => i > 0 && t > times[i - 1])) fail('the log is not newest first');

  // ---- In a conversation: the Playground ----
  step('playground: the action answers');
  await owner
    .getByRole('navigation', { name: 'Main' })
    .getByRole('link', { name: 'Playground' })
    .click();
  await owner.getByRole('heading', { name: 'Chat' }).waitFor();
  const chat = owner.getByRole('log', { name: 'Messages' });
  const pgDecisions = owner.getByRole('region', { name: 'Decisions' });
  const pgMessage = owner.getByLabel('Message as the visitor');
  /** The playground's conversation (its "Open in inbox" link), once it has started. */
  const conversationId = async (other = null) => {
    const id = await until(
      owner,
      'the playground’s conversation',
      (other) => {
        const m = /#\/inbox\/(\d+)$/.exec(
          [...document.querySelectorAll('a')]
            .find((a) => a.textContent === 'Open in inbox')
            ?.getAttribute('href') ?? '',
        );
        return m && Number(m[1]) !== other ? Number(m[1]) : null;
      },
      other,
    );
    await owner.getByText('Say hello, ask a question').waitFor();
    return id;
  };
  /** Sends as the visitor and waits for the agent's answer (the last message). */
  const ask = async (text, reply, what) => {
    const count = await chat.locator('.msg').count();
    await pgMessage.fill(text);
    await pgMessage.press('Enter');
    const said = await until(
      owner,
      what,
      (n) => {
        const ms = document.querySelectorAll('[role=log] .msg');
        return ms.length >= n + 2 && !ms[ms.length - 1].classList.contains('visitor')
          ? ms[ms.length - 1].querySelector('p').textContent
          : null;
      },
      count,
    );
    if (!reply.test(said)) fail(`${what}: the agent said ${JSON.stringify(said)}`);
  };
  /** The action record of the group titled by the visitor's `said`: outcome and reason. */
  const actionRecord = async (said, outcome, reason, what) => {
    const record = pgDecisions
      .getByTestId('decision-group')
      .filter({ hasText: `“${said}”` })
      .getByTestId('decision')
      .filter({ hasText: /^Action/ });
    await expectText(record, reason, what);
    const shown = await record.locator('.outcome').innerText();
    if (shown !== outcome) fail(`${what}: the outcome reads "${shown}", not "${outcome}"`);
  };
  const firstConversation = await conversationId();
  let calls = received.length;
  await ask(
    'Where is my order 4521?',
    /^Your order 4521 is shipped, tracking 1Z999AA10123456784\.$/,
    'the reply built from the order API’s answer',
  );
  if (received.length !== calls + 1) fail(`${received.length - calls} calls for one question`);
  const asked = received.at(-1);
  if (asked.url !== '/orders/4521' || asked.auth !== `Bearer ${CANARY}` || asked.language !== 'en')
    fail(`the API got ${JSON.stringify(asked)}`);
  await actionRecord(
    'Where is my order 4521?',
    'success',
    new RegExp(
      `matches the example "where is my order 4521\\?" of action 'get_order_status'; ran action ` +
        `'get_order_status': GET http://127\\.0\\.0\\.1:\\d+/orders/4521 → HTTP 200 in \\d+ ms`,
    ),
    'the action record of the question',
  );
  if ((await chat.locator('.msg.visitor').count()) !== 1)
    fail('the question is not in the chat once');

  step('playground: the order number asked for');
  await owner.getByRole('button', { name: 'New conversation' }).click();
  const secondConversation = await conversationId(firstConversation);
  calls = received.length;
  await ask(
    'What is the status of my order?',
    /order number, like 4521\?$/,
    'the agent asking for the order number',
  );
  if (received.length !== calls) fail('the API was called without an order number');
  await actionRecord(
    'What is the status of my order?',
    'asked the visitor',
    /about what action 'get_order_status' does \(order, status\); order_id is needed: asked the visitor/,
    'the record of asking',
  );
  await ask(
    'It is A-7788',
    /^Your order A-7788 is out for delivery, tracking 1Z999AA10987654321\.$/,
    'the reply once the number is given',
  );
  if (received.at(-1).url !== '/orders/A-7788') fail(`the API got ${received.at(-1).url}`);
  await actionRecord(
    'It is A-7788',
    'success',
    /the visitor gave order_id for action 'get_order_status'; ran action 'get_order_status': GET .*\/orders\/A-7788 → HTTP 200/,
    'the action record of the answer',
  );
  const pgText = await pgDecisions.innerText();
  for (const bad of [/\bbuiltin\b/, /\basking\b/, /http_error|gave_up|not_sent/])
    if (bad.test(pgText)) fail(`the playground's records show ${bad}: ${pgText}`);
  await noCanary(owner, 'in the playground');
  // The whole page from its title, not scrolled to the composer.
  await owner.evaluate(() => window.scrollTo(0, 0));
  await shot(owner, 'action-playground');

  step('the runs in the execution log, reached their conversations');
  await owner
    .getByRole('navigation', { name: 'Main' })
    .getByRole('link', { name: 'Actions' })
    .click();
  await owner.getByRole('link', { name: 'Execution log' }).click();
  const newest = logs.getByTestId('log-row');
  await expectText(newest.first(), new RegExp(`#${secondConversation}`), 'the newest run');
  for (const [i, conversation] of [secondConversation, firstConversation].entries()) {
    const row = newest.nth(i);
    const text = await row.innerText();
    if (!/get_order_status/.test(text) || !/Success/.test(text) || /Test run/.test(text))
      fail(`the run in conversation ${conversation}: ${text}`);
    const link = row.getByRole('link', { name: `#${conversation}` });
    if ((await link.getAttribute('href')) !== `#/inbox/${conversation}`)
      fail(`the run links ${await link.getAttribute('href')}`);
    const reached = await row.locator('td').last().innerText();
    if (reached.trim() !== 'Yes') fail(`the run in ${conversation} reached it: ${reached}`);
  }
  const ran = (await rpc('action_log_list', { limit: 200 })).entries.filter((e) => !e.test);
  const summary = ran.map((e) => [e.conversation_id, e.outcome, e.reached_conversation]);
  if (
    JSON.stringify(summary) !==
    JSON.stringify([
      [secondConversation, 'success', true],
      [firstConversation, 'success', true],
    ])
  )
    fail(`the runs from conversations: ${JSON.stringify(summary)}`);
  // Filtered by the conversation: its one run, opened to what was sent and what came back.
  await logs.getByLabel('Conversation', { exact: true }).fill(String(firstConversation));
  await until(
    owner,
    'the first conversation’s run',
    (c) => {
      const r = document.querySelectorAll('[data-testid=log-row]');
      return r.length === 1 && r[0].textContent.includes(`#${c}`);
    },
    firstConversation,
  );
  await newest
    .first()
    .getByRole('button', { name: /Details of the get_order_status run/ })
    .click();
  await expectText(logs.getByTestId('request-line'), /GET .*\/orders\/4521/, 'the logged request');
  await expectText(logs.getByTestId('response-body'), /"status": "shipped"/, 'the logged answer');
  await noCanary(owner, 'in the conversation’s run');
  // The link opens the conversation, the reply in it.
  await newest
    .first()
    .getByRole('link', { name: `#${firstConversation}` })
    .click();
  await until(owner, 'the inbox', (c) => location.hash === `#/inbox/${c}`, firstConversation);
  await expectText(
    owner.getByRole('log', { name: 'Transcript' }),
    /Your order 4521 is shipped, tracking 1Z999AA10123456784\./,
    'the reply in the conversation',
  );

  // ---- A real visitor on the shop's website: the widget, another origin ----
  step('the widget: a visitor asks, the action answers');
  const shop = await shopSite(baton);
  try {
    const visitorContext = await browser.newContext({
      viewport: { width: 1280, height: 800 },
      timezoneId: 'Europe/Lisbon',
      locale: 'en-GB',
      colorScheme: 'light',
    });
    visitorContext.setDefaultTimeout(10_000);
    contexts.push(visitorContext);
    const site = watcher.watch(await visitorContext.newPage(), 'the shop’s visitor');
    await site.goto(shop.url);
    await site.getByRole('button', { name: /^Acme support/ }).click();
    const widgetLog = site.getByRole('log', { name: 'Messages' });
    await expectText(widgetLog, /How can we help/, 'the widget’s greeting');
    const box = site.getByRole('textbox', { name: 'Your message' });
    calls = received.length;
    await box.fill('Where is my order 4521?');
    await box.press('Enter');
    await expectText(
      widgetLog.locator('.m.ai .text'),
      /^Your order 4521 is shipped, tracking 1Z999AA10123456784\.$/,
      'the reply in the widget, built from the order API’s answer',
    );
    if (received.length !== calls + 1) fail(`${received.length - calls} calls for one question`);
    if (received.at(-1).url !== '/orders/4521' || received.at(-1).auth !== `Bearer ${CANARY}`)
      fail(`the API got ${JSON.stringify(received.at(-1))}`);
    const widgetConversation = await site.evaluate(() => {
      const key = Object.keys(localStorage).find((k) => k.startsWith('baton.widget.'));
      return JSON.parse(localStorage.getItem(key)).id;
    });
    if (
      (await rpc('conversation_open', { id: widgetConversation })).conversation.channel !== 'widget'
    )
      fail('the widget’s conversation is not on the widget channel');
    await noCanary(site, 'in the widget');
    await shot(site, 'action-widget');

    step('the widget’s run in the execution log, linked to its conversation');
    await owner
      .getByRole('navigation', { name: 'Main' })
      .getByRole('link', { name: 'Actions' })
      .click();
    await owner.getByRole('link', { name: 'Execution log' }).click();
    await logs.getByLabel('Conversation', { exact: true }).fill(String(widgetConversation));
    await until(
      owner,
      'the widget conversation’s run',
      (c) => {
        const r = document.querySelectorAll('[data-testid=log-row]');
        return r.length === 1 && r[0].textContent.includes(`#${c}`);
      },
      widgetConversation,
    );
    const widgetRun = logs.getByTestId('log-row').first();
    const text = await widgetRun.innerText();
    if (!/get_order_status/.test(text) || !/Success/.test(text) || /Test run/.test(text))
      fail(`the widget's run: ${text}`);
    if ((await widgetRun.locator('td').last().innerText()).trim() !== 'Yes')
      fail('the widget’s run did not reach its conversation');
    const runLink = widgetRun.getByRole('link', { name: `#${widgetConversation}` });
    if ((await runLink.getAttribute('href')) !== `#/inbox/${widgetConversation}`)
      fail(`the widget's run links ${await runLink.getAttribute('href')}`);
    const logged = (
      await rpc('action_log_list', { conversation_id: widgetConversation, limit: 10 })
    ).entries;
    if (logged.length !== 1 || logged[0].outcome !== 'success' || !logged[0].reached_conversation)
      fail(`the widget conversation's runs: ${JSON.stringify(logged)}`);
    await runLink.click();
    await until(owner, 'the inbox', (c) => location.hash === `#/inbox/${c}`, widgetConversation);
    await expectText(
      owner.getByRole('log', { name: 'Transcript' }),
      /Your order 4521 is shipped, tracking 1Z999AA10123456784\./,
      'the widget’s reply in the conversation',
    );
  } finally {
    shop.close();
  }

  // ---- Deleting asks first; the runs stay under the name ----
  step('delete');
  await owner.getByRole('link', { name: 'Actions', exact: true }).last().click();
  await owner.getByRole('button', { name: 'Delete create_ticket' }).click();
  dialog = owner.getByRole('dialog', { name: 'Delete create_ticket?' });
  await dialog.getByRole('button', { name: 'Delete action' }).click();
  await owner.getByRole('button', { name: 'Delete create_ticket' }).waitFor({ state: 'detached' });
  const after = await rpc('action_log_list', { limit: 200 });
  if (!after.entries.some((e) => e.action_name === 'create_ticket' && e.action_id === null))
    fail('the deleted action’s runs are gone');

  // ---- A viewer reads, changes nothing ----
  step('a viewer');
  await rpc('operator_create', {
    name: 'Vera Viewer',
    email: 'vera@example.com',
    role: 'viewer',
    password: 'another horse battery',
  });
  const vera = await signedIn('vera@example.com', 'another horse battery');
  await vera.goto(`${baton.base}/#/actions`);
  await vera.getByTestId('read-only').waitFor();
  await vera.getByTestId('action-row').first().waitFor();
  if (await vera.getByRole('link', { name: 'New action' }).count()) fail('a viewer may create');
  if (!(await vera.getByRole('switch', { name: 'get_order_status active' }).isDisabled()))
    fail('a viewer may switch an action');
  await vera.getByRole('link', { name: 'get_order_status' }).click();
  await vera.getByRole('heading', { name: 'get_order_status' }).waitFor();
  if (!(await vera.getByLabel('URL').isDisabled())) fail('a viewer may edit');
  if (await vera.getByTestId('test-panel').count()) fail('a viewer may run a test');
  await vera.getByTestId('log-row').first().waitFor();
  await noCanary(vera, 'as a viewer');

  // ---- On a phone (390 px) nothing scrolls sideways ----
  step('on a phone');
  const phone = await signedIn('olivia@example.com', 'correct horse battery', {
    width: 390,
    height: 844,
  });
  const orderAction = (await rpc('action_list', {})).find((a) => a.name === 'get_order_status');
  for (const p of ['actions', `actions/${orderAction.id}`, 'actions/logs']) {
    await phone.goto(`${baton.base}/#/${p}`);
    await phone.locator('main h1').first().waitFor();
    await phone
      .getByTestId(p === 'actions' ? 'action-row' : 'log-row')
      .first()
      .waitFor();
    const wide = await phone.evaluate(() => document.documentElement.scrollWidth);
    if (wide > 390) fail(`#/${p} is ${wide} px wide on a 390 px phone`);
  }

  // ---- Accessibility (a separate context: injecting axe needs the CSP bypassed) ----
  step('accessibility (axe-core)');
  const audit = await browser.newContext({
    viewport: { width: 1280, height: 860 },
    bypassCSP: true,
    // E2E_DARK=1 audits the dark theme instead.
    colorScheme: process.env.E2E_DARK ? 'dark' : 'light',
  });
  contexts.push(audit);
  const a11y = await audit.newPage();
  await a11y.goto(baton.base + '/');
  await a11y.getByLabel('Email').fill('olivia@example.com');
  await a11y.getByLabel('Password').fill('correct horse battery');
  await a11y.getByRole('button', { name: 'Sign in' }).click();
  await a11y.getByRole('navigation', { name: 'Main' }).waitFor();
  const order = stored.find((a) => a.name === 'get_order_status');
  const violations = [];
  for (const p of ['actions', `actions/${order.id}`, 'actions/logs', 'actions/new']) {
    await a11y.goto(`${baton.base}/#/${p}`);
    await a11y.locator('main h1').first().waitFor();
    await a11y.waitForTimeout(400);
    if (p === 'actions/logs')
      await a11y
        .getByRole('button', { name: /^Details of/ })
        .first()
        .click();
    violations.push(...(await axe(a11y)).map((v) => `${p}: ${v}`));
  }
  if (violations.length) fail(`accessibility problems:\n${violations.join('\n')}`);

  if (watcher.errors.length) fail(`errors in the pages:\n${watcher.errors.join('\n')}`);
  if (baton.log.includes(CANARY)) fail('the token is in the server output');
  ok = true;
  step('passed');
} finally {
  if (!ok) for (const [i, c] of contexts.entries()) await failureShots(c, `actions-${i}`);
  await browser.close();
  await baton.cleanup();
  shopApi.close();
  if (!ok) console.error(`[actions] server log:\n${baton.log}`);
}
