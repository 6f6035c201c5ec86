// End-to-end smoke test of the desktop app: the real Tauri window (WebKitGTK) under Xvfb,
// driven over WebDriver by tauri-driver, as a first launch on a machine of its own (empty data
// directory). It checks what only the desktop host does: the app creates and opens its own
// SQLite file in the OS data directory, makes the default agent and an owner to act as (no
// sign-in), every call goes through the `rpc` IPC command (the agents page, the working-hours
// preview of unsaved edits, the handoff switch saved and read back after a reload), errors keep
// their field, the inbox is kept current by the shell's events, and the visitor server runs
// in-process when turned on in the settings (widget and visitor API answer on its port) and
// stops when turned off.
//
//   npm run build && cargo build --workspace --bins && npm run e2e:desktop
//
// Needs: Xvfb, xauth, webkit2gtk-driver (Debian), tauri-driver (`cargo install tauri-driver
// --locked`; TAURI_DRIVER=path, else from PATH or ~/.cargo/bin). Environment: BATON_DESKTOP_BIN,
// BATON_BIN, SCREENSHOTS_DIR as in run.mjs.

import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { connect, createServer } from 'node:net';
import { homedir, tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const UI = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const REPO = resolve(UI, '..');
const APP = process.env.BATON_DESKTOP_BIN ?? join(REPO, 'target/debug/baton-desktop');
const BIN = process.env.BATON_BIN ?? join(REPO, 'target/debug/baton');
const SHOTS = resolve(UI, process.env.SCREENSHOTS_DIR ?? 'e2e/out');
const DRIVER = [
  process.env.TAURI_DRIVER,
  'tauri-driver',
  join(homedir(), '.cargo/bin/tauri-driver'),
].find((p) => p && spawnSync('sh', ['-c', 'command -v "$0"', p]).status === 0);
const started = Date.now();
const step = (s) => console.log(`[desktop ${((Date.now() - started) / 1000).toFixed(1)}s] ${s}`);
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
function fail(msg) {
  throw new Error(msg);
}

for (const [what, path] of [
  ['the desktop app (cargo build -p baton-desktop)', APP],
  ['the baton binary (cargo build --bin baton)', BIN],
]) {
  if (!existsSync(path)) fail(`missing ${what}: ${path}`);
}
if (!DRIVER) fail('tauri-driver is missing: cargo install tauri-driver --locked');
if (!existsSync('/usr/bin/WebKitWebDriver')) fail('apt-get install -y webkit2gtk-driver');

/** A TCP port nobody listens on now. */
function freePort() {
  return new Promise((ok, no) => {
    const srv = createServer();
    srv.once('error', no);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address();
      srv.close(() => ok(port));
    });
  });
}

/** Whether something accepts TCP connections on 127.0.0.1:`port`. */
function accepts(port) {
  return new Promise((ok) => {
    const socket = connect(port, '127.0.0.1');
    socket.once('connect', () => (socket.destroy(), ok(true)));
    socket.once('error', () => ok(false));
  });
}

// A machine of its own: empty data, config and cache directories (the database goes to
// $XDG_DATA_HOME/baton/baton.db, WebKit keeps its storage there too), no database URL.
const tmp = mkdtempSync(join(tmpdir(), 'baton-desktop-'));
const dbFile = join(tmp, 'data/baton/baton.db');
const procs = [];
const env = {
  ...process.env,
  XDG_DATA_HOME: join(tmp, 'data'),
  XDG_CONFIG_HOME: join(tmp, 'config'),
  XDG_CACHE_HOME: join(tmp, 'cache'),
  BATON_LOG: 'warn',
};
delete env.BATON_DATABASE_URL;
delete env.WAYLAND_DISPLAY;

// ---- a minimal W3C WebDriver client ----
const port = await freePort();
const WD = `http://127.0.0.1:${port}`;
let sid = '';
async function wd(method, path, body) {
  const r = await fetch(`${WD}${path}`, {
    method,
    headers: { 'Content-Type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const j = await r.json();
  if (!r.ok || j.value?.error) fail(`${method} ${path}: ${JSON.stringify(j.value)}`);
  return j.value;
}
const s = (p) => `/session/${sid}${p}`;
async function find(css, timeout = 8000) {
  const end = Date.now() + timeout;
  for (;;) {
    const r = await fetch(`${WD}${s('/elements')}`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ using: 'css selector', value: css }),
    }).then((r) => r.json());
    // Each element is { 'element-6066-11e4-a52e-4f735466cecf': id }.
    if (Array.isArray(r.value) && r.value.length) return r.value.map((e) => Object.values(e)[0]);
    if (Date.now() > end) fail(`not found: ${css}`);
    await sleep(150);
  }
}
const text = (id) => wd('GET', s(`/element/${id}/text`));
const attribute = async (css, name) =>
  wd('GET', s(`/element/${(await find(css))[0]}/attribute/${name}`));
// WebKitWebDriver does not scroll an element inside a scrolled page into view by itself (a
// jump to an invalid field leaves the page scrolled): bring it into view first, as a user would.
const click = async (css) => {
  const el = (await find(css))[0];
  await wd('POST', s('/execute/sync'), {
    script: 'arguments[0].scrollIntoView({ block: "center" })',
    args: [{ 'element-6066-11e4-a52e-4f735466cecf': el }],
  });
  return wd('POST', s(`/element/${el}/click`), {});
};
const type = async (css, value) =>
  wd('POST', s(`/element/${(await find(css))[0]}/value`), { text: value });
const exec = (script, args = []) => wd('POST', s('/execute/sync'), { script, args });
async function waitText(css, re, timeout = 8000) {
  const end = Date.now() + timeout;
  let last = '';
  for (;;) {
    try {
      const ids = await find(css, 500);
      for (const id of ids) {
        last = await text(id);
        if (re.test(last)) return last;
      }
    } catch {
      /* not there yet */
    }
    if (Date.now() > end) fail(`${css}: expected ${re}, last saw ${JSON.stringify(last)}`);
    await sleep(200);
  }
}
async function shot(name) {
  mkdirSync(SHOTS, { recursive: true });
  await exec(`document.querySelectorAll('.toast button').forEach((b) => b.click())`);
  await sleep(150);
  writeFileSync(
    join(SHOTS, `${name}.png`),
    Buffer.from(await wd('GET', s('/screenshot')), 'base64'),
  );
}
const go = (hash) => exec(`location.hash = arguments[0]`, [hash]);

let ok = false;
try {
  // Xvfb picks a free display itself and writes its number to fd 3.
  const xvfb = spawn(
    'Xvfb',
    ['-displayfd', '3', '-screen', '0', '1360x860x24', '-nolisten', 'tcp'],
    {
      stdio: ['ignore', 'ignore', 'pipe', 'pipe'],
    },
  );
  procs.push(xvfb);
  let xlog = '';
  xvfb.stderr.on('data', (d) => (xlog += d));
  env.DISPLAY = await new Promise((ok, no) => {
    let out = '';
    const t = setTimeout(() => no(new Error(`Xvfb did not start:\n${xlog}`)), 10_000);
    xvfb.stdio[3].on('data', (d) => {
      out += d;
      if (out.includes('\n')) {
        clearTimeout(t);
        ok(`:${out.trim()}`);
      }
    });
    xvfb.once('exit', (code) => no(new Error(`Xvfb exited (${code}):\n${xlog}`)));
  });
  step(`Xvfb on ${env.DISPLAY}`);

  step(`tauri-driver on port ${port}`);
  const driver = spawn(
    DRIVER,
    ['--port', String(port), '--native-port', String(await freePort())],
    {
      env,
      stdio: ['ignore', 'pipe', 'pipe'],
    },
  );
  procs.push(driver);
  let driverLog = '';
  driver.stdout.on('data', (d) => (driverLog += d));
  driver.stderr.on('data', (d) => (driverLog += d));
  for (let i = 0; ; i++) {
    try {
      await fetch(`${WD}/status`);
      break;
    } catch {
      if (i > 50) fail(`tauri-driver did not start:\n${driverLog}`);
      await sleep(200);
    }
  }
  if (existsSync(dbFile)) fail(`${dbFile} exists before the first launch`);
  const session = await wd('POST', '/session', {
    capabilities: { alwaysMatch: { 'tauri:options': { application: APP } } },
  });
  sid = session.sessionId;

  step('first launch: the shell, without sign-in, over IPC');
  await waitText('nav[aria-label="Main"]', /Inbox/);
  await waitText('#acting-as', /Owner/); // made on first launch
  await waitText('#agent-select', /My AI agent/);
  if (!existsSync(dbFile)) fail(`the app did not create its database at ${dbFile}`);

  step('agents page lists the default agent');
  await go('#/agents');
  await waitText('ul[aria-label="Agents"] li', /My AI agent\s*default/);

  step('working hours: the preview follows unsaved edits (hours_preview)');
  await go('#/hours');
  await waitText('[data-testid="hours-status"]', /working hours are off/);
  await click('button[role="switch"][aria-labelledby]'); // Only hand off during working hours
  await waitText('[data-testid="hours-unsaved"]', /unsaved/);
  await waitText('[data-testid="hours-status"]', /^(Open now|Closed — opens)/);
  await click('.savebar .btn:not(.primary)'); // Discard
  await waitText('[data-testid="hours-status"]', /working hours are off/);

  step('handoff: a field error through IPC');
  await go('#/handoff');
  await find('textarea[name="settings.confirmation_message"]');
  await exec(
    `const t = document.querySelector('textarea[name="settings.confirmation_message"]');
     t.value = 'x'.repeat(501); t.dispatchEvent(new Event('input', { bubbles: true }));`,
  );
  await waitText(
    '[data-field="settings.confirmation_message"] [data-testid="counter"]',
    /501 \/ 500/,
  );
  await click('.savebar .btn.primary');
  await waitText('[data-field="settings.confirmation_message"] .error-text', /500/);
  await click('.savebar .btn:not(.primary)'); // Discard

  step('handoff switch on, a keyword, saved; read back after a reload');
  const handoffSwitch = 'button[role="switch"][aria-labelledby]'; // Human handoff, the first
  if ((await attribute(handoffSwitch, 'aria-checked')) !== 'false') fail('handoff is on already');
  await click(handoffSwitch);
  await type('[data-field="settings.keywords"] input', 'manager please\uE007');
  await waitText('[data-field="settings.keywords"] ul', /manager please/);
  await click('.savebar .btn.primary');
  await waitText('.savebar', /All changes saved/);
  await exec('location.reload()');
  await sleep(300);
  await waitText('nav[aria-label="Main"]', /Inbox/);
  await go('#/handoff');
  await waitText('[data-field="settings.keywords"] ul', /manager please/);
  if ((await attribute(handoffSwitch, 'aria-checked')) !== 'true')
    fail('the handoff switch did not stay on after a reload');
  await shot('desktop-handoff');

  step('playground handoff');
  await go('#/playground');
  await find('#pg-message');
  await sleep(500); // the conversation starts
  await type('#pg-message', 'My parcel is lost, manager please\uE007');
  await waitText('[data-testid="playground-status"]', /Needs (agent|an operator)/);

  step('the inbox shows it');
  await go('#/inbox');
  await waitText('[role="tab"][aria-selected="true"]', /Needs (agent|an operator)/);
  await waitText('[data-testid="inbox-item"]', /Needs (agent|an operator)/, 10_000);
  await click('[data-testid="inbox-item"]');
  await waitText('section[aria-label^="Conversation with"] aside', /Why this was handed off/i);
  await click('section[aria-label^="Conversation with"] .head .btn.primary'); // Take over
  await waitText('section[aria-label^="Conversation with"] .head', /Assigned/);
  await shot('desktop-inbox');

  step('working hours on, saved to the file');
  await go('#/hours');
  await waitText('[data-testid="hours-status"]', /working hours are off/);
  await click('button[role="switch"][aria-labelledby]');
  // Save is enabled once the page has the change: a click before that would do nothing.
  await waitText('.savebar', /Unsaved changes/);
  await click('.savebar .btn.primary:not([disabled])');
  await waitText('.savebar', /All changes saved/);

  step('settings: the in-process visitor server on a free port answers, then stops');
  const vsPort = await freePort();
  const vs = `http://127.0.0.1:${vsPort}`;
  await go('#/settings');
  await waitText('[data-testid="database-in-use"]', /baton\.db/);
  await waitText('[data-testid="visitor-server-status"]', /Not running/);
  await click('#visitor-server-enabled');
  await exec(
    `const i = document.querySelector('#visitor-server-address');
     i.value = arguments[0]; i.dispatchEvent(new Event('input', { bubbles: true }));`,
    [`127.0.0.1:${vsPort}`],
  );
  await click('[data-testid="visitor-server-card"] button[type="submit"]');
  await waitText('[data-testid="visitor-server-status"]', new RegExp(`Running at ${vs}`));
  const snippet = await exec(`return document.querySelector('#desktop-widget-snippet').value`);
  if (!snippet.includes(`src="${vs}/widget.js"`)) fail(`widget snippet: ${snippet}`);
  const widget = await fetch(`${vs}/widget.js`);
  if (!widget.ok || !(await widget.text()).length) fail(`GET ${vs}/widget.js: ${widget.status}`);
  const opened = await fetch(`${vs}/v1/visitor/conversations`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ channel: 'api' }),
  });
  const visitor = await opened.json();
  if (!opened.ok || !visitor.visitor_token)
    fail(`POST ${vs}/v1/visitor/conversations: ${opened.status} ${JSON.stringify(visitor)}`);
  await shot('desktop-settings');

  step('the inbox changes live: a visitor writes, the open inbox shows it without a reload');
  await go('#/inbox');
  await find('[role="tab"]');
  await exec(
    `[...document.querySelectorAll('[role="tab"]')].find((t) => /All open/.test(t.textContent)).click()`,
  );
  await waitText('[role="tab"][aria-selected="true"]', /All open/);
  const listed = () =>
    exec(`return [...document.querySelectorAll('[data-testid="inbox-item"]')]
      .map((e) => e.textContent).join(' | ')`);
  if (/talk to a person/.test(await listed())) fail('the message is listed before it was sent');
  const sent = await fetch(`${vs}/v1/visitor/conversations/${visitor.conversation.id}/messages`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', 'X-Visitor-Token': visitor.visitor_token },
    body: JSON.stringify({ text: 'Can I talk to a person about my invoice?' }),
  });
  if (!sent.ok) fail(`visitor message: ${sent.status} ${await sent.text()}`);
  // Nothing reloads or polls the inbox now: only the shell's baton://live event brings it in.
  const until = Date.now() + 8000;
  while (!/talk to a person/.test(await listed())) {
    if (Date.now() > until) fail(`the inbox did not show the new message: ${await listed()}`);
    await sleep(100);
  }
  await shot('desktop-inbox-live');

  await go('#/settings');
  await waitText('[data-testid="visitor-server-status"]', new RegExp(`Running at ${vs}`));
  await click('#visitor-server-enabled');
  await click('[data-testid="visitor-server-card"] button[type="submit"]');
  await waitText('[data-testid="visitor-server-status"]', /Not running/);
  if (await accepts(vsPort)) fail(`${vs} still accepts connections after turning it off`);
  ok = true;
} catch (e) {
  if (sid) {
    await shot('desktop-failure').catch(() => {});
    const html = await exec('return document.documentElement.outerHTML.slice(0, 3000)').catch((x) =>
      String(x),
    );
    console.error('[desktop] page:', html);
  }
  throw e;
} finally {
  if (sid) await fetch(`${WD}/session/${sid}`, { method: 'DELETE' }).catch(() => {});
  // tauri-driver starts WebKitWebDriver (which starts the app): stop those children by pid.
  const children = (pid) =>
    spawnSync('ps', ['-o', 'pid=', '--ppid', String(pid)], { encoding: 'utf8' })
      .stdout.split('\n')
      .map((x) => Number(x.trim()))
      .filter(Boolean);
  for (const p of procs.reverse()) {
    const kids = children(p.pid);
    const grandkids = kids.flatMap(children);
    for (const pid of [...grandkids, ...kids]) {
      try {
        process.kill(pid, 'SIGTERM');
      } catch {
        /* already gone */
      }
    }
    p.kill('SIGTERM');
  }
  await sleep(300);
  if (ok) {
    try {
      step('the database file, read by the CLI');
      checkFile();
      step('passed');
    } catch (e) {
      ok = false;
      console.error(`[desktop] ${e.message}`);
      process.exitCode = 1;
    }
  }
  rmSync(tmp, { recursive: true, force: true });
  if (!ok) console.error('[desktop] failed');
}

/** What the app wrote is in its own file in the data directory. */
function checkFile() {
  const cli = (...args) => {
    const r = spawnSync(BIN, ['--db', `sqlite://${dbFile}`, '--json', ...args], {
      env,
      encoding: 'utf8',
    });
    if (r.status !== 0) fail(`baton ${args.join(' ')}: ${r.stderr}`);
    return JSON.parse(r.stdout);
  };
  const agents = cli('agent', 'list');
  if (!agents.some((a) => a.name === 'My AI agent' && a.is_default))
    fail(`no default agent in ${dbFile}: ${JSON.stringify(agents)}`);
  const owners = cli('operator', 'list').filter((o) => o.role === 'owner');
  if (owners.length !== 1) fail(`expected the first-launch owner: ${JSON.stringify(owners)}`);
  const hours = cli('hours', 'check');
  if (hours.working_hours_active !== true)
    fail(`working hours saved in the app are not in ${dbFile}: ${JSON.stringify(hours)}`);
}
