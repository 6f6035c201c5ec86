// End-to-end test: live updates survive a server restart, without a reload. The admin inbox (a
// conversation open) and the widget on a customer website are open; `baton serve` is stopped
// (SIGTERM, as a restart does: it stops although their live streams are open):
// both say "Reconnecting…"; it is started again on the same port and database and, before
// either has reconnected, a visitor writes and a new visitor arrives: the open conversation, the
// list and the counts show them, the widget shows the operator's reply sent meanwhile, and live
// events flow again.
//
//   npm run build && node e2e/reconnect.mjs      (part of `npm run e2e`)

import {
  EMAIL,
  PASSWORD,
  api,
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

const step = stepper('reconnect');
preflight();
const baton = freshBaton();
await baton.start();
step(`server at ${baton.base}`);
const token = await signIn(baton.base);
const auth = { Authorization: `Bearer ${token}` };
const shop = await shopSite(baton);
const browser = await launchBrowser();
const watcher = errorWatch();
// The reconnection waits for its backoff (at most 30 s); a condition, not a sleep.
const BACK = { timeout: 40_000 };

/** A visitor who is not on the website: the visitor API directly. */
async function visitor(text) {
  const s = await api(baton.base, 'POST', '/v1/visitor/conversations', { channel: 'api' });
  const v = { id: s.conversation.id, headers: { 'X-Visitor-Token': s.visitor_token } };
  v.say = (t) =>
    api(baton.base, 'POST', `/v1/visitor/conversations/${v.id}/messages`, { text: t }, v.headers);
  await v.say(text);
  return v;
}

const context = await browser.newContext({
  viewport: { width: 1280, height: 800 },
  timezoneId: 'UTC',
  locale: 'en-GB',
  colorScheme: 'light',
});
context.setDefaultTimeout(10_000);
let ok = false;
try {
  // ---- The admin inbox, signed in, with a conversation open ----
  step('inbox with a conversation open');
  const first = await visitor('Hello, do you ship to Porto?');
  // Before signing in, /v1/auth/me answers 401 (the browser logs it).
  const inbox = watcher.watch(await context.newPage(), 'inbox', /status of 401/);
  await inbox.goto(baton.base + '/');
  await inbox.getByLabel('Email').fill(EMAIL);
  await inbox.getByLabel('Password').fill(PASSWORD);
  await inbox.getByRole('button', { name: 'Sign in' }).click();
  await inbox.getByRole('navigation', { name: 'Main' }).waitFor();
  await inbox.getByRole('tab', { name: /All open/ }).click();
  const items = inbox.getByTestId('inbox-item');
  await items.first().waitFor();
  if ((await items.count()) !== 1) fail(`expected one conversation, saw ${await items.count()}`);
  await items.first().click();
  const pane = inbox.getByRole('region', { name: /Conversation with/ });
  await expectText(pane.getByRole('log'), /ship to Porto/, 'the open conversation');
  const status = inbox.getByTestId('connection');
  if ((await status.getAttribute('role')) !== 'status') fail('the connection sign is no status');

  // ---- The widget on a customer website, a conversation going on ----
  step('widget with a conversation');
  const site = watcher.watch(await context.newPage(), 'shop');
  await site.goto(shop.url);
  await site.getByRole('button', { name: /^Acme support/ }).click();
  const widgetLog = site.getByRole('log', { name: 'Messages' });
  const box = site.getByRole('textbox', { name: 'Your message' });
  await box.fill('Is the blue mug back in stock?');
  await box.press('Enter');
  await widgetLog.locator('.m.ai time').first().waitFor();
  const widgetConversation = await site.evaluate(() => {
    const key = Object.keys(localStorage).find((k) => k.startsWith('baton.widget.'));
    return JSON.parse(localStorage.getItem(key)).id;
  });
  await inbox.bringToFront();
  await items.nth(1).waitFor(); // the widget's conversation, live
  const widgetStatus = site.getByRole('dialog', { name: 'Acme support' }).getByRole('status');

  // ---- The server stops: both say so ----
  step('server restarting (SIGTERM)');
  watcher.quiet(true);
  await baton.stop('SIGTERM');
  await inbox.bringToFront();
  await expectText(status, /Reconnecting…/, 'inbox: reconnecting sign');
  await expectText(widgetStatus, /Reconnecting…/, 'widget: reconnecting line');
  await shot(inbox, 'reconnecting');

  // ---- Back on the same port and database; things happen before the pages reconnect ----
  step('server started again');
  await baton.start();
  const before = Date.now();
  await first.say('Also: can I pay by card?');
  const second = await visitor('Hi! A second visitor with a question about returns.');
  await api(
    baton.base,
    'POST',
    `/v1/conversations/${widgetConversation}/reply`,
    { text: 'Yes, the blue mug is back.' },
    auth,
  );
  // Whether both pages were still disconnected then (so only their refetch can show it). Read
  // without waiting: once the widget is back its status line is empty and hidden (no element to
  // wait for), and it may be back already.
  const reconnecting = async (l) => (await l.filter({ hasText: 'Reconnecting' }).count()) > 0;
  const stillDown = [await reconnecting(status), await reconnecting(widgetStatus)];
  step(
    `sent while the pages were still reconnecting: inbox ${stillDown[0]}, widget ${stillDown[1]}`,
  );

  step('inbox catches up without a reload');
  await status.filter({ hasText: 'Reconnecting' }).waitFor({ state: 'detached', ...BACK });
  step(`inbox reconnected after ${((Date.now() - before) / 1000).toFixed(1)} s`);
  await expectText(pane.getByRole('log'), /pay by card/, 'missed message in the open conversation');
  // The first visitor, the widget's and the second visitor's.
  await items.nth(2).waitFor();
  if ((await items.count()) !== 3) fail(`expected three conversations, saw ${await items.count()}`);
  await expectText(inbox.getByRole('tab', { name: /All open/ }), /\b3\b/, 'all-open count');

  step('widget catches up without a reload');
  await widgetStatus.filter({ hasText: 'Reconnecting' }).waitFor({ state: 'detached', ...BACK });
  await expectText(widgetLog.locator('.m.op'), /blue mug is back/, 'missed reply in the widget');
  watcher.quiet(false);

  // ---- And live again: new events arrive as they happen ----
  step('live again');
  await first.say('Thanks, that is all.');
  await expectText(pane.getByRole('log'), /that is all/, 'live message after the restart');
  await second.say('One more thing about returns.');
  await api(
    baton.base,
    'POST',
    `/v1/conversations/${widgetConversation}/reply`,
    { text: 'Anything else I can do?' },
    auth,
  );
  await expectText(widgetLog.locator('.m.op'), /Anything else I can do/, 'live widget reply');
  if (await inbox.getByText('Reconnecting…').count()) fail('still reconnecting');
  if (watcher.errors.length) fail(`errors in the page:\n${watcher.errors.join('\n')}`);
  ok = true;
  step('passed');
} catch (e) {
  await failureShots(context, 'reconnect');
  throw e;
} finally {
  await browser.close().catch(() => {});
  shop.close();
  if (!ok) console.error(`[reconnect] server log:\n${baton.log}`);
  await baton.cleanup();
}
