// The inbox as a new support team meets it (issue 8): the first-run checklist, taking over a
// conversation routed to a colleague (with a confirmation, and the colleague seeing it move),
// replying to take it back, the timeline in the thread, decision records in names, the
// visitor's words in the list, the Follow up view, and the inbox and a conversation on a
// 390 px phone with no sideways scrolling. Real `baton serve` on a fresh SQLite database,
// Debian's Chromium. Screenshots in SCREENSHOTS_DIR.

import {
  api,
  errorWatch,
  expectText,
  fail,
  failureShots,
  freshBaton,
  launchBrowser,
  preflight,
  shot,
  signIn,
  stepper,
  until,
} from './lib.mjs';

const step = stepper('inbox');
preflight();
const baton = freshBaton();
await baton.start();
step(`server at ${baton.base}`);
const token = await signIn(baton.base);
const auth = { Authorization: `Bearer ${token}` };
const rpc = (command, args) => api(baton.base, 'POST', `/v1/rpc/${command}`, args, auth);
const PW = 'another horse battery';

async function visitor(text) {
  const s = await api(baton.base, 'POST', '/v1/visitor/conversations', { channel: 'api' });
  const headers = { 'X-Visitor-Token': s.visitor_token };
  const say = (t) =>
    api(
      baton.base,
      'POST',
      `/v1/visitor/conversations/${s.conversation.id}/messages`,
      { text: t },
      headers,
    );
  await say(text);
  return { id: s.conversation.id, say };
}

const browser = await launchBrowser();
const watcher = errorWatch();
const contexts = [];
async function signedIn(email, viewport = { width: 1280, height: 800 }) {
  const context = await browser.newContext({
    viewport,
    timezoneId: 'UTC',
    locale: 'en-GB',
    colorScheme: 'light',
  });
  context.setDefaultTimeout(10_000);
  contexts.push(context);
  const page = watcher.watch(await context.newPage(), email, /status of 40[19]/);
  await page.goto(baton.base + '/');
  await page.getByLabel('Email').fill(email);
  await page
    .getByLabel('Password')
    .fill(email === 'olivia@example.com' ? 'correct horse battery' : PW);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.getByRole('navigation', { name: 'Main' }).waitFor();
  return page;
}

let ok = false;
try {
  // ---- First run: the checklist on the empty inbox ticks itself ----
  step('setup checklist');
  const owner = await signedIn('olivia@example.com');
  const checklist = owner.getByTestId('setup-checklist');
  await expectText(checklist, /0 of 5 done/, 'checklist on a fresh server');
  await shot(owner, 'setup-checklist');
  const anna = await rpc('operator_create', {
    name: 'Anna Nowak',
    email: 'anna@example.com',
    role: 'agent',
    password: PW,
  });
  await rpc('operator_create', {
    name: 'Ben Okafor',
    email: 'ben@example.com',
    role: 'agent',
    password: PW,
  });
  await rpc('handoff_config_update', {
    agent_id: null,
    configuration: {
      settings: { is_active: true },
      routing_profiles: [
        {
          name: 'Billing',
          description: 'invoices, payments, refunds, charges',
          is_active: true,
          user_ids: [anna.id],
        },
      ],
    },
  });
  await owner.reload();
  await expectText(checklist, /2 of 5 done/, 'checklist after handoff on and a teammate');
  const ticked = await checklist.locator('li.done').allInnerTexts();
  if (!ticked.some((t) => /human handoff/.test(t)) || !ticked.some((t) => /teammates/.test(t)))
    fail(`ticked: ${JSON.stringify(ticked)}`);

  // ---- A handoff routed to Anna; Ben takes it from her ----
  step('take over from a colleague');
  const refund = await visitor('I want to talk to a person about a refund of my payment');
  const annaPage = await signedIn('anna@example.com');
  await annaPage.getByRole('tab', { name: /^Mine/ }).click();
  const annaItems = annaPage.getByTestId('inbox-item');
  await annaItems.first().waitFor();

  const benPage = await signedIn('ben@example.com');
  await benPage.getByRole('tab', { name: /Needs an operator/ }).click();
  const row = benPage.getByTestId('inbox-item').first();
  // The list shows the visitor's words, not the agent's canned confirmation.
  await expectText(row, /refund of my payment/, 'the row preview');
  // A visible Take button on the routed conversation.
  await row.getByTestId('row-take').click();
  const dialog = benPage.getByRole('dialog', { name: 'Take it from Anna Nowak?' });
  await dialog.waitFor();
  await shot(benPage, 'take-confirm');
  await dialog.getByRole('button', { name: 'Take it from Anna Nowak' }).click();
  const pane = benPage.getByRole('region', { name: /Conversation with/ });
  const events = pane.getByTestId('timeline-event');
  await expectText(events, /Ben Okafor took it over from Anna Nowak/, 'timeline: take-over');
  await expectText(events, /Routed to Billing/, 'timeline: routing');
  await expectText(events, /Assigned to Anna Nowak automatically/, 'timeline: assignment');
  // Anna sees it leave her list, live.
  await until(
    annaPage,
    "the conversation leaving Anna's list",
    () => document.querySelectorAll('[data-testid="inbox-item"]').length === 0,
  );

  // Decision records speak names and words.
  const side = pane.getByRole('complementary', { name: 'Details' });
  const records = await side.innerText();
  for (const bad of [/profile:\d/, /operator:\d/, /Message #\d/, /custom:\d/]) {
    if (bad.test(records)) fail(`decision records show ${bad}: ${records}`);
  }
  if (!/Built-in engine/.test(records)) fail(`no readable engine label: ${records}`);
  if (!/'Billing'/.test(records) || !/Anna Nowak/.test(records))
    fail(`records do not name the profile and the operator: ${records}`);
  await shot(benPage, 'conversation-timeline');

  // Anna replies: her box says it takes the conversation back from Ben, and it does.
  step('reply takes it back');
  await annaPage
    .getByRole('tab', { name: /Needs an operator|All open/ })
    .first()
    .click();
  await annaPage.goto(`${baton.base}/#/inbox/${refund.id}`);
  const annaPane = annaPage.getByRole('region', { name: /Conversation with/ });
  const box = annaPane.getByRole('textbox', { name: 'Reply to the visitor' });
  const placeholder = await box.getAttribute('placeholder');
  if (!/Replying takes it from Ben Okafor/.test(placeholder ?? ''))
    fail(`reply box placeholder: ${placeholder}`);
  await box.fill('Hi, Anna again: the refund is on its way.');
  await annaPane.getByRole('button', { name: 'Send reply' }).click();
  await expectText(
    annaPane.getByTestId('timeline-event'),
    /Anna Nowak took it over from Ben Okafor/,
    'timeline: the reply took it',
  );

  // Hand back with an instruction: operators see it in the thread.
  step('hand back');
  await annaPane.getByRole('button', { name: 'Hand back to the AI agent' }).click();
  const hb = annaPage.getByRole('dialog', { name: 'Hand back to the AI agent' });
  await hb.getByLabel(/Instruction for the AI/).fill('Cash on delivery is available for +10 zł');
  await hb.getByRole('button', { name: 'Hand back' }).click();
  await expectText(
    annaPane.getByTestId('timeline-event'),
    /handed it back to the AI agent with an instruction.*Cash on delivery/s,
    'timeline: hand-back with its instruction',
  );
  if ((await annaPane.getByRole('heading', { name: 'Why this was handed off' }).count()) !== 0)
    fail('a stale "Why this was handed off" after the hand-back');

  // ---- A long reason is cut with an ellipsis; the waiting time stays on screen ----
  step('long reason');
  const vip = await visitor('Hello, I have a question about my invoice from March');
  await rpc('conversation_handoff', {
    id: vip.id,
    reason: 'VIP customer with a long history of orders; '.repeat(8).trim(),
    take: false,
    as_operator_id: null,
  });
  await benPage.bringToFront();
  await benPage.getByRole('tab', { name: /Needs an operator/ }).click();
  const vipRow = benPage.getByTestId('inbox-item').filter({ hasText: /invoice from March/ });
  await vipRow.waitFor();
  const fit = await vipRow.evaluate((row) => {
    const reason = row.querySelector('.reason');
    const wait = row.querySelector('.wait');
    const r = row.getBoundingClientRect();
    const w = wait?.getBoundingClientRect();
    return {
      cut: !!reason && reason.scrollWidth > reason.clientWidth,
      ellipsis: reason ? getComputedStyle(reason).textOverflow : '',
      waitInside: !!w && w.width > 0 && w.right <= r.right && w.left >= r.left,
    };
  });
  if (!fit.cut || fit.ellipsis !== 'ellipsis' || !fit.waitInside)
    fail(`long reason row: ${JSON.stringify(fit)}`);

  // ---- Out of hours: the Follow up view ----
  step('follow up');
  const today = new Date().getUTCDay();
  const days = ['sunday', 'monday', 'tuesday', 'wednesday', 'thursday', 'friday', 'saturday'];
  await rpc('handoff_config_update', {
    agent_id: null,
    configuration: {
      settings: { working_hours_active: true, timezone: 'UTC' },
      // Open only on the day after tomorrow: closed now.
      availability: [{ day_span: days[(today + 2) % 7], start_time: '09:00', end_time: '17:00' }],
    },
  });
  const night = await visitor('Can I speak to a human please? My parcel is lost');
  const reply = await night.say('you can reach me at night.owl@example.com');
  if (!JSON.stringify(reply).includes('night.owl@example.com')) fail('contact not acknowledged');
  await benPage.bringToFront();
  const followTab = benPage.getByRole('tab', { name: /Follow up/ });
  await expectText(followTab, /1/, 'Follow up count');
  await followTab.click();
  await expectText(
    benPage.getByTestId('inbox-item'),
    /reach me at night\.owl.*follow up.*asked for a person/s,
    'follow-up row',
  );
  await benPage.getByTestId('inbox-item').first().click();
  await expectText(
    benPage.getByRole('region', { name: /Conversation with/ }).getByTestId('timeline-event'),
    /left a contact for the follow-up: night\.owl@example\.com/,
    'timeline: contact left',
  );
  await shot(benPage, 'inbox-follow-up');

  // ---- A phone: the inbox, then a conversation; nothing scrolls sideways ----
  step('phone width');
  const phone = await signedIn('ben@example.com', { width: 390, height: 844 });
  const sideways = () =>
    phone.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
  await phone.getByRole('tab', { name: /All open/ }).click();
  await phone.getByTestId('inbox-item').first().waitFor();
  if ((await sideways()) > 0) fail(`the inbox scrolls sideways by ${await sideways()} px`);
  await shot(phone, 'inbox-phone');
  await phone.getByTestId('inbox-item').first().click();
  await phone.getByRole('region', { name: /Conversation with/ }).waitFor();
  if (await phone.getByTestId('inbox-item').first().isVisible())
    fail('the list is still shown beside the conversation on a phone');
  if ((await sideways()) > 0) fail(`the conversation scrolls sideways by ${await sideways()} px`);
  const send = phone.getByRole('button', { name: 'Send reply' });
  const box390 = await send.boundingBox();
  if (!box390 || box390.x + box390.width > 390)
    fail(`the send button is off screen: ${JSON.stringify(box390)}`);
  await shot(phone, 'conversation-phone');
  await phone.getByRole('button', { name: '← All conversations' }).click();
  await phone.getByTestId('inbox-item').first().waitFor();
  await phone.getByRole('button', { name: 'Menu' }).click();
  await phone
    .getByRole('link', { name: /Handoff/ })
    .first()
    .waitFor();

  if (watcher.errors.length) fail(`errors in the pages:\n${watcher.errors.join('\n')}`);
  ok = true;
  step('passed');
} finally {
  if (!ok) for (const [i, c] of contexts.entries()) await failureShots(c, `inbox-${i}`);
  await browser.close();
  await baton.cleanup();
}
