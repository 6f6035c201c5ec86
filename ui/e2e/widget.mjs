// End-to-end test of the website widget on a customer website (another origin), at phone
// (390 px) and desktop (1280 px) widths, against a real `baton serve` that is stopped and
// started again on the same port and database:
//
//   unread badge while closed, cleared on open (and said to screen readers); a send that fails
//   while the server is down is shown as failed with Retry, its text kept, and Retry works once
//   the server is back; the operator's name after a reload; full screen on a phone; a 16 px
//   input; message times; safe links (http(s) only, rel/target) and HTML shown as text.
//
//   npm run build && node e2e/widget.mjs      (part of `npm run e2e`)

import {
  OWNER,
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
  until,
} from './lib.mjs';

const step = stepper('widget');
preflight();
const baton = freshBaton();
await baton.start();
step(`server at ${baton.base}`);
const token = await signIn(baton.base);
const auth = { Authorization: `Bearer ${token}` };
const shop = await shopSite(baton);
const browser = await launchBrowser();
const watcher = errorWatch();

const HTML = 'Is <b>bold</b> <img src=x onerror="window.pwned=1"> safe?';
const LINKS =
  'Our help page: https://example.com/help?from=chat. Never javascript:alert(1) though.';

async function scenario(width) {
  const phone = width <= 480;
  const tag = phone ? 'phone' : 'desktop';
  const context = await browser.newContext({
    viewport: phone ? { width, height: 844 } : { width, height: 800 },
    isMobile: phone,
    hasTouch: phone,
    timezoneId: 'Europe/Lisbon',
    locale: 'en-US',
    colorScheme: 'light',
  });
  context.setDefaultTimeout(10_000);
  try {
    const page = watcher.watch(await context.newPage(), tag);
    await page.goto(shop.url);
    const launcher = page.getByRole('button', { name: /^Acme support/ });
    const panel = page.getByRole('dialog', { name: 'Acme support' });
    const log = page.getByRole('log', { name: 'Messages' });
    const box = page.getByRole('textbox', { name: 'Your message' });

    // ---- Layout: full screen on a phone, a floating panel on a desktop; a 16 px input ----
    step(`${tag}: open, layout`);
    await launcher.click();
    await expectText(log, /How can we help/, 'greeting');
    const r = await panel.boundingBox();
    if (phone) {
      if (r.x !== 0 || r.y !== 0 || r.width !== width || r.height !== 844)
        fail(`${tag}: the panel is not full screen: ${JSON.stringify(r)}`);
      if (await launcher.isVisible()) fail(`${tag}: the launcher covers the full-screen panel`);
    } else if (r.width !== 360 || r.x + r.width !== width - 20) {
      fail(`${tag}: the panel is not the 360 px floating panel: ${JSON.stringify(r)}`);
    }
    const fontSize = await box.evaluate((e) => getComputedStyle(e).fontSize);
    if (fontSize !== '16px') fail(`${tag}: the input is ${fontSize}, not 16px (iOS zooms)`);

    // ---- HTML in a message is shown as text; every message has its time ----
    step(`${tag}: HTML is text, times`);
    await box.fill(HTML);
    await box.press('Enter');
    const mine = log.locator('.m.me').filter({ hasText: 'Is <b>bold</b>' });
    await mine.locator('time').waitFor();
    if ((await log.locator('b, img').count()) !== 0) fail(`${tag}: HTML in a message was rendered`);
    if (await page.evaluate(() => window.pwned)) fail(`${tag}: a message ran script`);
    // The agent's answer arrives too, also with a time.
    await log.locator('.m.ai time').first().waitFor();
    for (const t of await log.locator('time').all()) {
      const [text, iso] = [await t.innerText(), await t.getAttribute('datetime')];
      if (!/^\d{1,2}:\d{2}\s?(AM|PM)$/.test(text) || Number.isNaN(Date.parse(iso)))
        fail(`${tag}: a message time reads ${JSON.stringify(text)} (${iso})`);
    }
    const conversation = await page.evaluate(() => {
      const key = Object.keys(localStorage).find((k) => k.startsWith('baton.widget.'));
      return JSON.parse(localStorage.getItem(key)).id;
    });

    // ---- A reply while the panel is closed: a badge with the count, said, cleared on open ----
    step(`${tag}: unread badge`);
    await page.getByRole('button', { name: 'Close chat' }).click();
    if (await panel.isVisible()) fail(`${tag}: the panel did not close`);
    const badge = page.locator('[data-baton-widget] .badge');
    if (await badge.isVisible()) fail(`${tag}: a badge before any reply`);
    await api(baton.base, 'POST', `/v1/conversations/${conversation}/reply`, { text: LINKS }, auth);
    await expectText(badge, /^1$/, 'badge after one reply');
    await api(
      baton.base,
      'POST',
      `/v1/conversations/${conversation}/reply`,
      { text: 'Anything else?' },
      auth,
    );
    await expectText(badge, /^2$/, 'badge after two replies');
    await page.getByRole('button', { name: 'Acme support (2 unread messages)' }).waitFor();
    await expectText(
      page.locator('[data-baton-widget] [role="status"]'),
      /2 unread messages in Acme support/,
      'unread announcement',
    );
    if (!phone)
      await shot(page, 'widget-unread', { x: width - 420, y: 800 - 300, width: 420, height: 300 });
    await launcher.click();
    await badge.waitFor({ state: 'hidden' });
    // (On a phone the launcher is hidden behind the full-screen panel: read its label.)
    await until(
      page,
      'the launcher label without unread messages',
      () =>
        document
          .querySelector('[data-baton-widget]')
          .shadowRoot.querySelector('.bubble')
          .getAttribute('aria-label') === 'Acme support',
    );

    // ---- Links: http(s) only, opening safely; the operator named ----
    step(`${tag}: links, operator name`);
    const reply = log.locator('.m.op').filter({ hasText: 'Our help page' });
    await expectText(reply.locator('.who'), new RegExp(`^${OWNER}$`), 'operator name');
    const links = reply.locator('a');
    if ((await links.count()) !== 1) fail(`${tag}: expected one link in the reply`);
    const a = await links.evaluate((e) => ({
      href: e.getAttribute('href'),
      rel: e.getAttribute('rel'),
      target: e.getAttribute('target'),
      text: e.textContent,
    }));
    const want = {
      href: 'https://example.com/help?from=chat',
      rel: 'noopener noreferrer',
      target: '_blank',
      text: 'https://example.com/help?from=chat',
    };
    if (JSON.stringify(a) !== JSON.stringify(want))
      fail(`${tag}: the link is ${JSON.stringify(a)}`);
    await expectText(reply, /Never javascript:alert\(1\) though\./, 'javascript: kept as text');
    if ((await log.locator('a[href^="javascript"], a:not([href^="http"])').count()) !== 0)
      fail(`${tag}: a link that is not http(s)`);

    // ---- The operator's name after a reload; nothing unread any more ----
    step(`${tag}: reload`);
    await page.reload();
    // It follows the conversation while closed (for the badge): wait until it has read it.
    await page.locator('[data-baton-widget] .log .m.op').last().waitFor({ state: 'attached' });
    if (await badge.isVisible()) fail(`${tag}: a badge after reload for replies already read`);
    await launcher.click();
    await expectText(
      log.locator('.m.op').filter({ hasText: 'Anything else?' }).locator('.who'),
      new RegExp(`^${OWNER}$`),
      'operator name after a reload',
    );

    // ---- The server goes away: Reconnecting…, a failed send with Retry, the text kept ----
    step(`${tag}: server stopped`);
    watcher.quiet(true);
    await baton.stop();
    await expectText(panel.getByRole('status'), /Reconnecting…/, 'widget reconnecting');
    const text = 'Are you still there? My order is #1042.';
    await box.fill(text);
    await box.press('Enter');
    const failed = log.locator('.m.me.failed').filter({ hasText: text });
    await expectText(failed.locator('.meta'), /Not sent/, 'failed send');
    const retry = failed.getByRole('button', { name: `Retry sending: ${text}` });
    await retry.waitFor();
    if ((await box.inputValue()) !== '') fail(`${tag}: the box was not emptied`);
    if (phone) await shot(page, 'widget-failed');
    const problems = await axe(page);
    if (problems.length) fail(`${tag}: accessibility problems:\n${problems.join('\n')}`);

    step(`${tag}: server back, retry`);
    await baton.start();
    await retry.click();
    const sent = log.locator('.m.me:not(.failed)').filter({ hasText: text });
    await sent.locator('time').waitFor();
    if ((await log.locator('.m.me').filter({ hasText: text }).count()) !== 1)
      fail(`${tag}: the retried message shows more than once`);
    await panel
      .getByRole('status')
      .filter({ hasText: 'Reconnecting' })
      .waitFor({ state: 'detached' });
    watcher.quiet(false);
    // The stream is back: an operator reply arrives live.
    await api(
      baton.base,
      'POST',
      `/v1/conversations/${conversation}/reply`,
      { text: 'Yes! Order #1042 ships today.' },
      auth,
    );
    await expectText(log.locator('.m.op'), /ships today/, 'live reply after the restart');
    const stored = await api(
      baton.base,
      'GET',
      `/v1/conversations/${conversation}`,
      undefined,
      auth,
    );
    const copies = stored.messages.filter((m) => m.text === text).length;
    if (copies !== 1) fail(`${tag}: the retried message is stored ${copies} times`);
    await until(page, 'the log scrolled to the end', () => {
      const l = document.querySelector('[data-baton-widget]').shadowRoot.querySelector('.log');
      return l.scrollHeight - l.scrollTop - l.clientHeight < 4;
    });
    await shot(page, `widget-${tag}`);
  } catch (e) {
    await failureShots(context, `widget-${tag}`);
    throw e;
  } finally {
    await context.close();
  }
}

let ok = false;
try {
  await scenario(390);
  await scenario(1280);
  if (watcher.errors.length) fail(`errors in the page:\n${watcher.errors.join('\n')}`);
  ok = true;
  step('passed');
} finally {
  await browser.close().catch(() => {});
  shop.close();
  if (!ok) console.error(`[widget] server log:\n${baton.log}`);
  await baton.cleanup();
}
