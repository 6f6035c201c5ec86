// Webhooks from the owner's side: a loopback receiver of the business is started here, which
// verifies every delivery's Standard Webhooks signature with node:crypto (HMAC-SHA256 over
// "{webhook-id}.{webhook-timestamp}.{body}" keyed with the base64 part of the `whsec_` secret,
// against each `v1,<sig>` of `webhook-signature`) and records it. The owner creates an
// endpoint on the Webhooks page (the UI's own check at the name, the server's refusal of the
// loopback address at the URL until 127.0.0.1 is allow-listed, the warning), copies the secret
// shown once (the receiver uses it), sends a test event (on the page, verified by the
// receiver; a failing one in words; both in the delivery log as tests, not redeliverable),
// subscribes to handoff.requested; a visitor asks for a
// person while the receiver answers 500 to the first attempt and 200 afterwards: the delivery
// log shows the failed attempt, then the delivered one; a redelivery makes a new attempt; the
// secret is rotated (asked first) and a delivery verifies with the new one while the old one
// still signs too; a 410 Gone turns the endpoint off (the list says why), turning it on again
// and "Redeliver all failed" (asked first) sends it. The secret is never on the page again. A
// viewer reads it all without controls; an event value this build does not know is shown by
// its name. axe-core on the pages; no sideways scrolling on a phone. Real `baton serve` on a
// fresh SQLite database, Debian's Chromium; screenshots in SCREENSHOTS_DIR (webhooks.png the
// list, webhook-form.png the form with the secret shown once, webhook-deliveries.png the log).
//
//   npm run build && node e2e/webhooks.mjs     (part of `npm run e2e`)

import { createHmac, timingSafeEqual } from 'node:crypto';
import { createServer } from 'node:http';
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
  shot,
  signIn,
  stepper,
  until,
} from './lib.mjs';

const step = stepper('webhooks');
/** How long a due retry may wait: the outbox worker looks for due jobs every 15 s (and when a
 * job is queued), so the schedule's "immediately" is the worker's next round. */
const RETRY_WAIT = 30_000;
preflight();

// ---- The business's receiver, on loopback ----
/** Every request received, verified or not. */
const received = [];
const receiver = {
  /** The secrets it accepts (what the owner copied from the page). */
  secrets: [],
  /** Statuses to answer next, one per request (then 200). */
  script: [],
};

/** Which accepted secret verifies the request (its index), or -1; every signature counted. */
function verify(headers, body, secrets) {
  const id = headers['webhook-id'];
  const ts = headers['webhook-timestamp'];
  const sigs = String(headers['webhook-signature'] ?? '')
    .split(' ')
    .filter(Boolean)
    .map((s) => (s.startsWith('v1,') ? Buffer.from(s.slice(3), 'base64') : null));
  for (const [i, secret] of secrets.entries()) {
    const key = Buffer.from(secret.replace(/^whsec_/, ''), 'base64');
    const want = createHmac('sha256', key).update(`${id}.${ts}.${body}`).digest();
    if (sigs.some((s) => s && s.length === want.length && timingSafeEqual(s, want))) return i;
  }
  return -1;
}

const server = createServer((req, res) => {
  const chunks = [];
  req.on('data', (c) => chunks.push(c));
  req.on('end', () => {
    const body = Buffer.concat(chunks).toString('utf8');
    const verified = verify(req.headers, body, receiver.secrets);
    const age = Math.abs(Date.now() / 1000 - Number(req.headers['webhook-timestamp']));
    const status = verified < 0 ? 401 : (receiver.script.shift() ?? 200);
    let type = null;
    try {
      type = JSON.parse(body).type;
    } catch {
      /* recorded as it came */
    }
    received.push({
      id: req.headers['webhook-id'],
      timestamp: Number(req.headers['webhook-timestamp']),
      signature: String(req.headers['webhook-signature'] ?? ''),
      signatures: String(req.headers['webhook-signature'] ?? '').split(' ').length,
      contentType: req.headers['content-type'],
      path: req.url,
      type,
      body,
      verified,
      fresh: age < 300,
      status,
    });
    res.writeHead(status, { 'Content-Type': 'application/json' });
    res.end(
      JSON.stringify(
        status === 200
          ? { received: req.headers['webhook-id'], verified: true }
          : { error: status === 401 ? 'bad signature' : status === 410 ? 'gone' : 'try later' },
      ),
    );
  });
});
await new Promise((ok) => server.listen(0, '127.0.0.1', ok));
const HOOK = `http://127.0.0.1:${server.address().port}/hooks/baton`;
step(`the receiver at ${HOOK}`);

const baton = freshBaton();
await baton.start();
step(`server at ${baton.base}`);
const token = await signIn(baton.base);
const rpc = (command, args) =>
  api(baton.base, 'POST', `/v1/rpc/${command}`, args, { Authorization: `Bearer ${token}` });
await rpc('handoff_config_update', {
  agent_id: null,
  configuration: { settings: { is_active: true } },
});

/** A visitor who asks for a person: the agent hands the conversation off. */
async function handoff(text = 'I want to talk to a human') {
  const s = await api(baton.base, 'POST', '/v1/visitor/conversations', { channel: 'api' });
  const r = await api(
    baton.base,
    'POST',
    `/v1/visitor/conversations/${s.conversation.id}/messages`,
    { text },
    { 'X-Visitor-Token': s.visitor_token },
  );
  if (r.status !== 'needs_agent') fail(`"${text}" was not handed off: ${JSON.stringify(r)}`);
  return s.conversation.id;
}

const browser = await launchBrowser();
// Expected in the console: the 401 before sign-in, the 422 of the server-side check.
const watcher = errorWatch();
const contexts = [];
async function signedIn(email, password, { viewport = { width: 1280, height: 900 } } = {}) {
  const context = await browser.newContext({
    viewport,
    timezoneId: 'UTC',
    locale: 'en-GB',
    colorScheme: 'light',
  });
  context.setDefaultTimeout(10_000);
  contexts.push(context);
  await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: baton.base });
  const page = watcher.watch(await context.newPage(), email, /status of (401|422)/);
  await page.goto(baton.base + '/');
  await page.getByLabel('Email').fill(email);
  await page.getByLabel('Password').fill(password);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.getByRole('navigation', { name: 'Main' }).waitFor();
  return page;
}

/** Fails if a secret shows anywhere in the page: text, markup, or a field's value. */
async function noSecret(page, secrets, where) {
  const found = await page.evaluate((secrets) => {
    const hits = [];
    for (const s of secrets) {
      if (document.documentElement.outerHTML.includes(s)) hits.push('markup');
      if (document.body.innerText.includes(s)) hits.push('text');
      for (const el of document.querySelectorAll('input, textarea'))
        if (el.value.includes(s)) hits.push(`value of #${el.id || el.tagName}`);
    }
    return hits;
  }, secrets);
  if (found.length) fail(`${where}: a signing secret is in the page (${found.join(', ')})`);
}

const dismissToasts = async (page) => {
  await page.evaluate(() => document.querySelectorAll('.toast button').forEach((b) => b.click()));
  await page.locator('.toast').first().waitFor({ state: 'detached' });
};

/** Requests as recorded, without their bodies (for failure messages). */
const brief = (rs) => JSON.stringify(rs.map((r) => ({ ...r, body: undefined })));

let ok = false;
try {
  const owner = await signedIn(EMAIL, PASSWORD);

  // ---- The empty page, from the nav ----
  step('the Webhooks page, empty');
  const nav = owner.getByRole('navigation', { name: 'Main' });
  const navLinks = await nav.getByRole('link').allInnerTexts();
  if (navLinks.indexOf('Webhooks') !== navLinks.indexOf('Actions') + 1)
    fail(`Webhooks is not after Actions in the nav: ${JSON.stringify(navLinks)}`);
  await nav.getByRole('link', { name: 'Webhooks' }).click();
  await owner.getByRole('heading', { name: 'Webhooks', level: 1 }).waitFor();
  await expectText(owner.getByTestId('webhooks-empty'), /No webhooks yet/, 'the empty list');
  await owner.getByRole('link', { name: 'New webhook' }).first().click();
  await owner.getByRole('heading', { name: 'New webhook' }).waitFor();

  // ---- The form: the UI's check, then the server's at its field ----
  step('creating an endpoint through the form');
  const name = owner.getByLabel('Name', { exact: true });
  await name.fill('CRM sync');
  await owner
    .getByLabel('When should the AI agent trigger it?')
    .fill('When the visitor reports a broken item and wants a replacement.');
  const url = owner.getByLabel('URL', { exact: true });
  await url.fill(HOOK);
  await owner.getByRole('switch', { name: 'Send a summary of the chat' }).click();
  await owner
    .getByLabel('Success message shown to the visitor')
    .fill('Thanks! Our team has your request.');
  await owner.keyboard.press('Control+s');
  await expectText(
    owner.locator('[data-field="name"] .error-text'),
    /lower-case letters, digits and _/,
    'the name checked before sending',
  );
  if (await owner.evaluate(() => document.activeElement?.id !== 'webhook-name'))
    fail('the invalid name is not focused');
  await name.fill('crm_sync');
  await owner.getByRole('button', { name: 'Create webhook' }).click();
  await expectText(
    owner.locator('[data-field="url"] .error-text'),
    /allow-list/,
    'the loopback address refused by the server, at the URL',
  );
  if ((await url.getAttribute('aria-invalid')) !== 'true') fail('the URL is not marked invalid');
  await expectText(owner.locator('.banner.error'), /Nothing was saved/, 'the save bar');
  if ((await rpc('webhook_list', {})).length) fail('a refused endpoint was saved');
  const allow = owner.getByRole('textbox', { name: 'Allowed private hosts and networks' });
  await allow.fill('127.0.0.1');
  await allow.press('Enter');
  await expectText(
    owner.getByTestId('allow-warning'),
    /This webhook may reach your private network/,
    'the allow-list warning',
  );
  await owner.getByRole('button', { name: 'Create webhook' }).click();
  await owner.getByRole('heading', { name: 'crm_sync' }).waitFor();
  await until(owner, 'the endpoint’s own address', () => /#\/webhooks\/\d+$/.test(location.hash));
  const hookId = Number(await owner.evaluate(() => location.hash.split('/').pop()));

  // ---- The secret, once ----
  step('the signing secret, shown once, copied');
  const secretPanel = owner.getByTestId('secret-panel');
  await expectText(secretPanel, /Store it now: it will not be shown again/, 'the warning');
  const shown = await owner.getByTestId('secret-value').inputValue();
  if (!/^whsec_[A-Za-z0-9+/]{32}$/.test(shown)) fail(`the secret reads ${shown}`);
  await secretPanel.getByRole('button', { name: 'Copy secret' }).click();
  await expectText(owner.locator('.toast'), /Secret copied/, 'the copy toast');
  const secret = await owner.evaluate(() => navigator.clipboard.readText());
  if (secret !== shown) fail(`the clipboard holds ${JSON.stringify(secret)}`);
  receiver.secrets = [secret];
  const saved = await rpc('webhook_get', { id: hookId });
  if (JSON.stringify(saved).includes(secret)) fail('the secret is in webhook_get');
  if (
    !saved.send_chat_summary ||
    saved.success_message !== 'Thanks! Our team has your request.' ||
    JSON.stringify(saved.allow) !== '["127.0.0.1"]' ||
    saved.events.length !== 0
  )
    fail(`saved: ${JSON.stringify(saved)}`);
  await dismissToasts(owner);
  await owner.evaluate(() => window.scrollTo(0, 0));
  await shot(owner, 'webhook-form');

  // ---- The test event ----
  step('send test event');
  const test = owner.getByTestId('webhook-test');
  await test.getByRole('button', { name: 'Send test event' }).click();
  await expectText(test.getByTestId('webhook-test-outcome'), /^Delivered$/, 'the test outcome');
  await expectText(test.getByTestId('webhook-test-status'), /^200$/, 'the test status');
  const took = await test.getByTestId('webhook-test-duration').innerText();
  if (!/^\d+ ms$/.test(took)) fail(`the test took ${took}`);
  const testEvent = received.at(-1);
  if (testEvent?.type !== 'webhook.test' || testEvent.verified !== 0 || !testEvent.fresh)
    fail(`the receiver got ${JSON.stringify(testEvent)}`);
  if (testEvent.contentType !== 'application/json' || testEvent.path !== '/hooks/baton')
    fail(`the test was sent as ${testEvent.contentType} to ${testEvent.path}`);
  await expectText(
    test.getByTestId('webhook-test-response'),
    new RegExp(`"received": "${testEvent.id}"`),
    'the answer’s excerpt',
  );
  // One that fails says so in words.
  receiver.script.push(503);
  await test.getByRole('button', { name: 'Send test event' }).click();
  await expectText(test.getByTestId('webhook-test-outcome'), /^Failed$/, 'a failing test');
  await expectText(test.getByTestId('webhook-test-status'), /^503$/, 'its status');
  await expectText(test.getByTestId('webhook-test-response'), /try later/, 'its answer');
  // Both are in the delivery log, marked as tests.
  const tested = (await rpc('webhook_delivery_list', { id: hookId })).deliveries;
  if (
    tested.length !== 2 ||
    !tested.every((d) => d.test && d.event === 'webhook.test') ||
    tested[0].status !== 'failed' ||
    tested[1].status !== 'delivered'
  )
    fail(`the tests in the log: ${JSON.stringify(tested)}`);

  // ---- Subscribing ----
  step('subscribing to handoff.requested');
  const handedOff = owner.getByRole('checkbox', { name: 'A conversation is handed to a person' });
  await handedOff.check();
  await expectText(
    owner.locator('[data-field="events"]'),
    /lead\.created · Once leads exist/,
    'the lead event explained',
  );
  await owner.keyboard.press('Control+s');
  await expectText(owner.locator('.savebar'), /All changes saved/, 'saved');
  if (JSON.stringify((await rpc('webhook_get', { id: hookId })).events) !== '["handoff.requested"]')
    fail('the subscription was not saved');

  // ---- A handoff: the first attempt fails, the immediate retry delivers ----
  step('a handoff: a failed attempt, then delivered');
  const log = owner.getByTestId('delivery-log');
  // The log lists both tests, not to be sent again from there.
  await until(
    owner,
    'the two tests in the log',
    () => document.querySelectorAll('[data-testid=delivery-row]').length === 2,
  );
  await expectText(log.getByTestId('delivery-row').first(), /The test event/, 'a test in words');
  if (await log.getByRole('button', { name: /^Redeliver “/ }).count())
    fail('a test may be redelivered');
  receiver.script.push(500);
  const before = received.length;
  const conversation = await handoff();
  await log.getByRole('button', { name: 'Refresh' }).click();
  // The failed attempt first: retrying (the log looks again by itself at the next attempt).
  const seen = await until(owner, 'the first attempt failed', () => {
    const r = document.querySelector('[data-testid=delivery-row]');
    if (/The test event/.test(r?.textContent ?? '')) return null;
    const status = r?.querySelector('[data-testid=delivery-status]').textContent.trim();
    return r && r.querySelector('[data-testid=delivery-attempts]').textContent.trim() !== '0'
      ? status
      : null;
  });
  if (seen !== 'Retrying' && seen !== 'Delivered') fail(`after the first attempt: ${seen}`);
  // The worker takes a due retry on its next round (at most 15 s later, see the report).
  await until(
    owner,
    'one delivery, delivered on its second attempt',
    () => {
      const rows = [...document.querySelectorAll('[data-testid=delivery-row]')];
      return (
        rows.length === 3 &&
        rows[0].querySelector('[data-testid=delivery-status]').textContent.trim() === 'Delivered' &&
        rows[0].querySelector('[data-testid=delivery-attempts]').textContent.trim() === '2'
      );
    },
    undefined,
    RETRY_WAIT,
  );
  const got = received.slice(before);
  if (
    got.length !== 2 ||
    got.some((r) => r.type !== 'handoff.requested' || r.verified !== 0) ||
    got[0].id !== got[1].id ||
    got[0].status !== 500 ||
    got[1].status !== 200
  )
    fail(`the receiver got ${brief(got)}`);
  const data = JSON.parse(got[1].body).data;
  if (data.conversation?.id !== conversation || data.webhook !== 'crm_sync' || !data.summary)
    fail(`the event's data: ${JSON.stringify(data)}`);
  const row = log.getByTestId('delivery-row').first();
  await expectText(row, /A conversation is handed to a person/, 'the event in words');
  await expectText(row, new RegExp(`#${conversation}`), 'its conversation');
  await row.getByRole('button', { name: /^Attempts of/ }).click();
  const attempts = log.getByTestId('attempt');
  await expectText(attempts.nth(0), /Attempt 1\s*Failed\s*HTTP 500/, 'the failed attempt');
  await expectText(attempts.nth(0), /try later/, 'its answer');
  await expectText(attempts.nth(1), /Attempt 2\s*Delivered\s*HTTP 200/, 'the delivered attempt');
  await expectText(attempts.nth(1), /took \d+ ms/, 'its duration');
  await expectText(attempts.nth(1), new RegExp(`"received": "${got[1].id}"`), 'its answer');

  // ---- Redeliver: a new attempt, the same message ----
  step('redeliver');
  const beforeAgain = received.length;
  await row.getByRole('button', { name: /^Redeliver/ }).click();
  await until(owner, 'a third attempt, delivered', () => {
    const r = document.querySelector('[data-testid=delivery-row]');
    return (
      r?.querySelector('[data-testid=delivery-status]').textContent.trim() === 'Delivered' &&
      r.querySelector('[data-testid=delivery-attempts]').textContent.trim() === '3'
    );
  });
  await expectText(attempts.nth(2), /Attempt 3\s*Delivered\s*HTTP 200/, 'the redelivered attempt');
  const again = received.slice(beforeAgain);
  if (again.length !== 1 || again[0].id !== got[0].id || again[0].body !== got[0].body)
    fail(`the redelivery: ${brief(again)}`);
  await dismissToasts(owner);
  await log.evaluate((el) => el.scrollIntoView({ block: 'start' }));
  await shot(owner, 'webhook-deliveries');

  // ---- Rotating the secret: asked first, the new one shown once, both sign ----
  step('rotate the secret');
  await secretPanel.scrollIntoViewIfNeeded();
  await secretPanel.getByRole('button', { name: 'Rotate secret' }).click();
  const rotate = owner.getByRole('dialog', { name: 'Rotate the signing secret?' });
  await expectText(rotate, /previous one too for 24 hours/, 'the rotation explained');
  await rotate.getByRole('button', { name: 'Cancel' }).click();
  await rotate.waitFor({ state: 'hidden' });
  if ((await owner.getByTestId('secret-value').inputValue()) !== secret)
    fail('cancelling rotated the secret');
  await secretPanel.getByRole('button', { name: 'Rotate secret' }).click();
  await rotate.getByRole('button', { name: 'Make a new secret' }).click();
  await until(
    owner,
    'a new secret',
    (old) => {
      const v = document.querySelector('[data-testid=secret-value]')?.value;
      return v && v !== old;
    },
    secret,
  );
  await expectText(secretPanel, /Store it now: it will not be shown again/, 'the warning again');
  await expectText(owner.getByTestId('rotation'), /The previous secret signs too until/, 'until');
  await secretPanel.getByRole('button', { name: 'Copy secret' }).click();
  const rotated = await owner.evaluate(() => navigator.clipboard.readText());
  if (rotated === secret || !rotated.startsWith('whsec_')) fail(`the new secret: ${rotated}`);
  // The receiver switches to the new secret; the old one would still verify too.
  receiver.secrets = [rotated];
  const beforeRotated = received.length;
  await row.getByRole('button', { name: /^Redeliver/ }).click();
  await until(owner, 'a fourth attempt, delivered', () => {
    const r = document.querySelector('[data-testid=delivery-row]');
    return (
      r?.querySelector('[data-testid=delivery-status]').textContent.trim() === 'Delivered' &&
      r.querySelector('[data-testid=delivery-attempts]').textContent.trim() === '4'
    );
  });
  const signed = received.slice(beforeRotated);
  if (signed.length !== 1 || signed[0].verified !== 0 || signed[0].signatures !== 2)
    fail(`after the rotation: ${brief(signed)}`);
  const headers = {
    'webhook-id': signed[0].id,
    'webhook-timestamp': String(signed[0].timestamp),
    'webhook-signature': signed[0].signature,
  };
  if (verify(headers, signed[0].body, [secret]) !== 0)
    fail('the previous secret does not sign during the rotation');

  // Leaving the page hides the secret for good.
  await owner.reload();
  await owner.getByRole('heading', { name: 'crm_sync' }).waitFor();
  await expectText(owner.getByTestId('secret-stored'), /never shown again/, 'the stored secret');
  await owner.getByTestId('delivery-row').first().waitFor();
  await noSecret(owner, [secret, rotated], 'after a reload');

  // ---- 410 Gone turns it off; on again, "Redeliver all failed" ----
  step('410 Gone, turned on again, redeliver all failed');
  // A second endpoint, so that the list has a healthy one beside it.
  await rpc('webhook_create', {
    name: 'team_chat',
    description: 'Posts resolved and assigned conversations in the support channel.',
    url: 'https://chat.example.com/hooks/T042/support',
    events: ['conversation.assigned', 'conversation.resolved'],
  });
  receiver.script.push(410);
  await handoff('Can I speak to a person about my refund?');
  await log.getByRole('button', { name: 'Refresh' }).click();
  await until(owner, 'the new delivery failed', () => {
    const r = [...document.querySelectorAll('[data-testid=delivery-row]')];
    return (
      r.length === 4 &&
      r[0].querySelector('[data-testid=delivery-status]').textContent.trim() === 'Failed'
    );
  });
  const gone = await rpc('webhook_get', { id: hookId });
  if (gone.active || !gone.disabled_reason)
    fail(`410 did not turn it off: ${JSON.stringify(gone)}`);
  await owner.getByRole('link', { name: '← Webhooks' }).click();
  const listRow = owner.getByTestId('webhook-row').filter({ hasText: 'crm_sync' });
  await expectText(listRow.getByTestId('disabled-reason'), /Turned off by Baton/, 'the badge');
  if (!(await listRow.innerText()).toLowerCase().includes(gone.disabled_reason.toLowerCase()))
    fail(`the list does not say why: ${await listRow.innerText()}`);
  await expectText(listRow, /Failed/, 'the last delivery');
  await expectText(listRow, new RegExp(`127\\.0\\.0\\.1:${server.address().port}`), 'the host');
  await expectText(listRow, /Handoff requested/, 'the event');
  const listSwitch = owner.getByRole('switch', { name: 'crm_sync active' });
  if ((await listSwitch.getAttribute('aria-checked')) !== 'false') fail('the list shows it on');
  await expectText(
    owner.getByTestId('webhook-row').filter({ hasText: 'team_chat' }),
    /chat\.example\.com\s*Assigned\s*Resolved\s*Nothing sent yet/,
    'the second endpoint',
  );
  await shot(owner, 'webhooks');
  // Turned on again in the form: saving it active clears the reason.
  await listRow.getByRole('link', { name: 'crm_sync' }).click();
  await expectText(owner.getByTestId('disabled-banner'), /Baton turned this webhook off/, 'why');
  await owner.getByRole('switch', { name: 'Active' }).click();
  await owner.getByRole('button', { name: 'Save changes' }).click();
  await owner.getByTestId('disabled-banner').waitFor({ state: 'detached' });
  const back = await rpc('webhook_get', { id: hookId });
  if (!back.active || back.disabled_reason !== null) fail(`on again: ${JSON.stringify(back)}`);
  const beforeAll = received.length;
  await owner.getByRole('button', { name: 'Redeliver all failed' }).click();
  const all = owner.getByRole('dialog', { name: 'Send every failed delivery again?' });
  await all.getByRole('button', { name: 'Redeliver all failed' }).click();
  await until(owner, 'the failed one delivered', () => {
    const r = [...document.querySelectorAll('[data-testid=delivery-row]')].filter(
      (x) => !/The test event/.test(x.textContent),
    );
    return (
      r.length === 2 &&
      r.every(
        (x) => x.querySelector('[data-testid=delivery-status]').textContent.trim() === 'Delivered',
      )
    );
  });
  if (received.length !== beforeAll + 1 || received.at(-1).verified !== 0)
    fail('"Redeliver all failed" did not send the failed one, signed');

  // ---- A test that cannot reach its endpoint says why; deleting asks first ----
  step('a test that fails in words, delete');
  const closed = await rpc('webhook_create', {
    name: 'old_crm',
    url: 'http://127.0.0.1:1/hooks',
    allow: ['127.0.0.1'],
  });
  await owner.goto(`${baton.base}/#/webhooks/${closed.webhook.id}`);
  await owner.getByRole('heading', { name: 'old_crm' }).waitFor();
  await test.getByRole('button', { name: 'Send test event' }).click();
  await expectText(test.getByTestId('webhook-test-outcome'), /^Failed$/, 'the unreachable test');
  await expectText(
    test.getByTestId('webhook-test-error'),
    /Could not reach 127\.0\.0\.1:1: nothing accepted the connection/,
    'why, in words',
  );
  await expectText(test, /No answer/, 'no status');
  await owner.getByRole('link', { name: '← Webhooks' }).click();
  await owner.getByRole('button', { name: 'Delete old_crm' }).click();
  const del = owner.getByRole('dialog', { name: 'Delete old_crm?' });
  await expectText(del, /delivery log goes too/, 'what deleting does');
  await del.getByRole('button', { name: 'Delete webhook' }).click();
  await owner.getByRole('button', { name: 'Delete old_crm' }).waitFor({ state: 'detached' });
  if ((await rpc('webhook_list', {})).some((w) => w.name === 'old_crm')) fail('not deleted');

  // ---- A viewer reads, changes nothing; an unknown event by its name ----
  step('a viewer, and an event this build does not know');
  await rpc('operator_create', {
    name: 'Vera Viewer',
    email: 'vera@example.com',
    role: 'viewer',
    password: 'another horse battery',
  });
  const vera = await signedIn('vera@example.com', 'another horse battery');
  // A newer server's event value, in the answers.
  await vera.route('**/v1/rpc/webhook_get', async (r) => {
    const res = await r.fetch();
    const w = await res.json();
    await r.fulfill({ response: res, json: { ...w, events: [...w.events, 'lead.updated'] } });
  });
  await vera.route('**/v1/rpc/webhook_delivery_list', async (r) => {
    const res = await r.fetch();
    const page = await res.json();
    if (page.deliveries[0]) page.deliveries[0].event = 'lead.updated';
    await r.fulfill({ response: res, json: page });
  });
  await vera.goto(`${baton.base}/#/webhooks`);
  await vera.getByTestId('read-only').waitFor();
  await vera.getByTestId('webhook-row').first().waitFor();
  if (await vera.getByRole('link', { name: 'New webhook' }).count()) fail('a viewer may create');
  if (await vera.getByRole('button', { name: 'Delete crm_sync' }).count())
    fail('a viewer may delete');
  if (!(await vera.getByRole('switch', { name: 'crm_sync active' }).isDisabled()))
    fail('a viewer may switch a webhook');
  await vera.getByRole('link', { name: 'crm_sync' }).click();
  await vera.getByRole('heading', { name: 'crm_sync' }).waitFor();
  if (!(await vera.getByLabel('URL', { exact: true }).isDisabled())) fail('a viewer may edit');
  if (await vera.locator('.savebar').count()) fail('a viewer has a save bar');
  for (const b of ['Rotate secret', 'Send test event', 'Redeliver all failed'])
    if (await vera.getByRole('button', { name: b }).count()) fail(`a viewer has "${b}"`);
  await expectText(vera.getByTestId('secret-stored'), /never shown again/, 'the viewer’s secret');
  await expectText(vera.getByTestId('other-events'), /lead\.updated/, 'the unknown event');
  const veraRow = vera.getByTestId('delivery-row').first();
  await expectText(veraRow, /lead\.updated/, 'the unknown event in the log');
  if (await veraRow.getByRole('button', { name: /^Redeliver/ }).count())
    fail('a viewer may redeliver');
  await veraRow.getByRole('button', { name: /^Attempts of/ }).click();
  await vera.getByTestId('attempt').first().waitFor();
  await noSecret(vera, [secret, rotated], 'as a viewer');

  // ---- On a phone (390 px) nothing scrolls sideways ----
  step('on a phone');
  const phone = await signedIn(EMAIL, PASSWORD, { viewport: { width: 390, height: 844 } });
  for (const p of ['webhooks', `webhooks/${hookId}`, 'webhooks/new']) {
    await phone.goto(`${baton.base}/#/${p}`);
    await phone.locator('main h1').first().waitFor();
    if (p === 'webhooks') await phone.getByTestId('webhook-row').first().waitFor();
    if (p === `webhooks/${hookId}`) await phone.getByTestId('delivery-row').first().waitFor();
    const wide = await phone.evaluate(() => document.documentElement.scrollWidth);
    if (wide > 390) fail(`#/${p} is ${wide} px wide on a 390 px phone`);
  }

  // ---- Accessibility (a separate context: injecting axe needs the CSP bypassed) ----
  step('accessibility (axe-core)');
  const audit = await browser.newContext({
    viewport: { width: 1280, height: 900 },
    bypassCSP: true,
    colorScheme: process.env.E2E_DARK ? 'dark' : 'light',
  });
  contexts.push(audit);
  const a11y = await audit.newPage();
  await a11y.goto(baton.base + '/');
  await a11y.getByLabel('Email').fill(EMAIL);
  await a11y.getByLabel('Password').fill(PASSWORD);
  await a11y.getByRole('button', { name: 'Sign in' }).click();
  await a11y.getByRole('navigation', { name: 'Main' }).waitFor();
  const violations = [];
  for (const p of ['webhooks', `webhooks/${hookId}`, 'webhooks/new']) {
    await a11y.goto(`${baton.base}/#/${p}`);
    await a11y.locator('main h1').first().waitFor();
    if (p === `webhooks/${hookId}`) {
      await a11y
        .getByRole('button', { name: /^Attempts of/ })
        .first()
        .click();
      await a11y.getByTestId('attempt').first().waitFor();
      await a11y.getByRole('button', { name: 'Rotate secret' }).click();
      await a11y.getByRole('button', { name: 'Make a new secret' }).click();
      await a11y.getByTestId('secret-value').waitFor();
      await a11y.getByRole('button', { name: 'Send test event' }).click();
      await a11y.getByTestId('webhook-test-result').waitFor();
    }
    await a11y.waitForTimeout(300);
    violations.push(...(await axe(a11y)).map((v) => `${p}: ${v}`));
  }
  if (violations.length) fail(`accessibility problems:\n${violations.join('\n')}`);

  if (watcher.errors.length) fail(`errors in the pages:\n${watcher.errors.join('\n')}`);
  for (const s of [secret, rotated])
    if (baton.log.includes(s)) fail('a secret is in the server output');
  ok = true;
  step('passed');
} finally {
  if (!ok) for (const [i, c] of contexts.entries()) await failureShots(c, `webhooks-${i}`);
  await browser.close();
  await baton.cleanup();
  server.close();
  if (!ok) console.error(`[webhooks] server log:\n${baton.log}`);
}
