// End-to-end smoke test of the desktop app: the real Tauri window (WebKitGTK) under Xvfb,
// driven over WebDriver by tauri-driver, on a fresh SQLite database. It checks what only the
// desktop host does: every call goes through the `rpc` IPC command, there is no sign-in, the
// inbox is polled, and errors keep their field.
//
//   npm run build && cargo build -p baton-desktop && npm run e2e:desktop
//
// Needs: Xvfb, xauth, webkit2gtk-driver (Debian), tauri-driver (`cargo install tauri-driver
// --locked`). Environment: BATON_DESKTOP_BIN, BATON_BIN, SCREENSHOTS_DIR as in run.mjs.

import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { homedir, tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const UI = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const REPO = resolve(UI, '..');
const APP = process.env.BATON_DESKTOP_BIN ?? join(REPO, 'target/debug/baton-desktop');
const BIN = process.env.BATON_BIN ?? join(REPO, 'target/debug/baton');
const SHOTS = resolve(UI, process.env.SCREENSHOTS_DIR ?? 'e2e/out');
const DRIVER = ['tauri-driver', join(homedir(), '.cargo/bin/tauri-driver')].find(
  (p) => spawnSync('sh', ['-c', `command -v ${p}`]).status === 0,
);
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

const tmp = mkdtempSync(join(tmpdir(), 'baton-desktop-'));
const db = `sqlite://${join(tmp, 'baton.db')}`;
const procs = [];
const display = `:${90 + Math.floor(Math.random() * 9)}`;
const env = {
  ...process.env,
  DISPLAY: display,
  BATON_DATABASE_URL: db,
  BATON_LOG: 'warn',
};

const add = spawnSync(
  BIN,
  [
    '--db',
    db,
    'operator',
    'add',
    '--name',
    'Dana Desk',
    '--email',
    'dana@example.com',
    '--role',
    'owner',
  ],
  { env, encoding: 'utf8' },
);
if (add.status !== 0) fail(`operator add: ${add.stderr}`);

// ---- a minimal W3C WebDriver client ----
const WD = 'http://127.0.0.1:4444';
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
const click = async (css) => wd('POST', s(`/element/${(await find(css))[0]}/click`), {});
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
  step(`Xvfb on ${display}`);
  procs.push(
    spawn('Xvfb', [display, '-screen', '0', '1360x860x24', '-nolisten', 'tcp'], {
      stdio: 'ignore',
    }),
  );
  await sleep(600);
  step('tauri-driver');
  const driver = spawn(DRIVER, ['--port', '4444'], { env, stdio: ['ignore', 'pipe', 'pipe'] });
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
  const session = await wd('POST', '/session', {
    capabilities: { alwaysMatch: { 'tauri:options': { application: APP } } },
  });
  sid = session.sessionId;

  step('the shell, without sign-in, over IPC');
  await waitText('nav[aria-label="Main"]', /Inbox/);
  await waitText('#acting-as', /Dana Desk/);
  await waitText('#agent-select', /My AI agent/);

  step('working hours preview (hours_check)');
  await go('#/hours');
  await waitText('[data-testid="hours-status"]', /working hours are off/);

  step('handoff: a field error through IPC, then a keyword');
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
  await click('button[role="switch"][aria-labelledby]');
  await type('[data-field="settings.keywords"] input', 'manager please\uE007');
  await waitText('[data-field="settings.keywords"] ul', /manager please/);
  await click('.savebar .btn.primary');
  await waitText('.savebar', /All changes saved/);

  step('playground handoff');
  await go('#/playground');
  await find('#pg-message');
  await sleep(500); // the conversation starts
  await type('#pg-message', 'My parcel is lost, manager please\uE007');
  await waitText('[data-testid="playground-status"]', /Needs agent/);

  step('the inbox (polled) shows it');
  await go('#/inbox');
  await waitText('[role="tab"][aria-selected="true"]', /Needs agent/);
  await waitText('[data-testid="inbox-item"]', /Needs agent/, 10_000);
  await click('[data-testid="inbox-item"]');
  await waitText('section[aria-label^="Conversation with"] aside', /Why this was handed off/i);
  await click('section[aria-label^="Conversation with"] .head .btn.primary'); // Take over
  await waitText('section[aria-label^="Conversation with"] .head', /Assigned/);
  await shot('desktop-inbox');
  ok = true;
  step('passed');
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
  rmSync(tmp, { recursive: true, force: true });
  if (!ok) console.error('[desktop] failed');
}
