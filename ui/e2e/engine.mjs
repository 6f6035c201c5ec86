// End-to-end test of the model endpoint's state on the Agents page (issue 17): the agent runs on
// an OpenAI-compatible model (a loopback fake) that fails; three visitor messages later its
// circuit breaker is open and the Engine card says so in words (not answering for…, tried
// again in…, the last error, no key); once the model answers again and the cool-down is over
// the state is healthy again (that part is the Rust test's, on a test clock: here only what an
// owner sees). Visitors were answered all along. Real `baton serve` on a fresh SQLite
// database, Debian's Chromium; screenshot engine-health.png.
//
//   npm run build && node e2e/engine.mjs      (part of `npm run e2e`)

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
} from './lib.mjs';

const step = stepper('engine');
preflight();

const KEY = 'sk-canary-9d1e44b0c2';
let calls = 0;
const model = createServer((req, res) => {
  req.resume();
  req.on('end', () => {
    calls += 1;
    res.writeHead(503, { 'Content-Type': 'application/json' });
    res.end(JSON.stringify({ error: { message: 'model overloaded' } }));
  });
});
await new Promise((ok) => model.listen(0, '127.0.0.1', ok));
const MODEL = `http://127.0.0.1:${model.address().port}/v1`;

const baton = freshBaton();
await baton.start();
step(`server at ${baton.base}`);
const token = await signIn(baton.base);
const rpc = (command, args) =>
  api(baton.base, 'POST', `/v1/rpc/${command}`, args, { Authorization: `Bearer ${token}` });

const browser = await launchBrowser();
const watcher = errorWatch();
let context;
let ok = false;
try {
  await rpc('engine_set', {
    kind: 'openai',
    base_url: MODEL,
    model: 'fake-model',
    api_key: KEY,
    timeout_ms: 2000,
  });
  const healthy = await rpc('engine_health', {});
  if (healthy.state !== 'healthy') fail(`before any message: ${JSON.stringify(healthy)}`);

  // Three visitors, each answered (by the built-in engine) although the model fails.
  for (let i = 0; i < 3; i++) {
    const s = await api(baton.base, 'POST', '/v1/visitor/conversations', { channel: 'api' });
    const r = await api(
      baton.base,
      'POST',
      `/v1/visitor/conversations/${s.conversation.id}/messages`,
      { text: 'What time do you open on Saturday?' },
      { 'X-Visitor-Token': s.visitor_token },
    );
    if (!r.events?.some((e) => e.text)) fail(`visitor ${i} got no answer: ${JSON.stringify(r)}`);
  }
  if (calls !== 3) fail(`expected one model call per message, saw ${calls}`);
  const open = await rpc('engine_health', {});
  if (open.state !== 'open') fail(`after three failures: ${JSON.stringify(open)}`);
  step('the breaker is open after three failed messages');

  // A fourth visitor: answered without calling the model.
  const s = await api(baton.base, 'POST', '/v1/visitor/conversations', { channel: 'api' });
  await api(
    baton.base,
    'POST',
    `/v1/visitor/conversations/${s.conversation.id}/messages`,
    { text: 'Do you ship to Spain?' },
    { 'X-Visitor-Token': s.visitor_token },
  );
  if (calls !== 3) fail(`the model was called while the breaker was open (${calls} calls)`);

  context = await browser.newContext({
    viewport: { width: 1280, height: 860 },
    timezoneId: 'UTC',
    locale: 'en-GB',
    colorScheme: 'light',
    // axe-core is injected as a script: the app's CSP would refuse it.
    bypassCSP: true,
  });
  context.setDefaultTimeout(10_000);
  const page = watcher.watch(await context.newPage(), 'owner', /status of 401/);
  await page.goto(baton.base + '/');
  await page.getByLabel('Email').fill(EMAIL);
  await page.getByLabel('Password').fill(PASSWORD);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.getByRole('navigation', { name: 'Main' }).waitFor();
  await page.getByRole('link', { name: 'AI agents' }).click();
  const health = page.getByTestId('engine-health');
  await expectText(health, /Not answering/, 'the engine state');
  await expectText(health, /tried again in/, 'when it is tried again');
  await expectText(health, /503/, 'the last error');
  const text = await health.innerText();
  if (text.includes(KEY)) fail('the API key is on the page');
  await health.scrollIntoViewIfNeeded();
  await shot(page, 'engine-health');
  // Keyboard: the refresh button is reachable and works.
  await health.getByRole('button', { name: 'Refresh' }).focus();
  await page.keyboard.press('Enter');
  await expectText(health, /Not answering/, 'the engine state after a refresh');
  const violations = await axe(page);
  if (violations.length) fail(`accessibility problems:\n${violations.join('\n')}`);
  if (watcher.errors.length) fail(`errors in the page:\n${watcher.errors.join('\n')}`);
  if (baton.log.includes(KEY)) fail('the API key is in the server output');
  ok = true;
  step('passed');
} finally {
  if (!ok && context) await failureShots(context, 'engine');
  await browser.close();
  await baton.cleanup();
  model.close();
  if (!ok) console.error(`[engine] server log:\n${baton.log}`);
}
