// Shared by the widget and reconnection end-to-end tests: a real `baton serve` on a fresh SQLite
// database that can be stopped and started again on the same port and database, Debian's
// Chromium through playwright-core, a customer website on another origin, and small helpers.
// Same environment as run.mjs: BATON_BIN, CHROMIUM, SCREENSHOTS_DIR, E2E_HEADED.

import { spawn, spawnSync } from 'node:child_process';
import { createServer } from 'node:http';
import { existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';

export const UI = resolve(dirname(fileURLToPath(import.meta.url)), '..');
export const REPO = resolve(UI, '..');
export const BIN = process.env.BATON_BIN ?? join(REPO, 'target/debug/baton');
export const CHROMIUM = process.env.CHROMIUM ?? '/usr/bin/chromium';
export const SHOTS = resolve(UI, process.env.SCREENSHOTS_DIR ?? 'e2e/out');
export const EMAIL = 'olivia@example.com';
export const PASSWORD = 'correct horse battery';
export const OWNER = 'Olivia Owner';
const AXE = join(UI, 'node_modules/axe-core/axe.min.js');

export function fail(msg) {
  throw new Error(msg);
}

export function stepper(name) {
  const started = Date.now();
  return (what) => console.log(`[${name} ${((Date.now() - started) / 1000).toFixed(1)}s] ${what}`);
}

/** Checks what the tests need, builds the binary when it is missing. */
export function preflight() {
  if (!existsSync(join(UI, 'dist/index.html')) || !existsSync(join(UI, 'dist/widget.js')))
    fail('ui/dist is missing: run `npm run build` first');
  if (!existsSync(BIN)) {
    const b = spawnSync('cargo', ['build', '--bin', 'baton'], { cwd: REPO, stdio: 'inherit' });
    if (b.status !== 0) fail('cargo build --bin baton failed');
  }
  if (!existsSync(CHROMIUM)) fail(`no browser at ${CHROMIUM}: apt-get install -y chromium`);
}

/** A fresh database with the owner operator; `serve()` runs `baton serve` on it. */
export function freshBaton() {
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
  const add = spawnSync(
    BIN,
    ['--db', db, 'operator', 'add', '--name', OWNER, '--email', EMAIL, '--role', 'owner'].concat(
      '--password-stdin',
    ),
    { input: PASSWORD + '\n', env, encoding: 'utf8' },
  );
  if (add.status !== 0) fail(`operator add failed: ${add.stderr}`);

  let log = '';
  let proc = null;
  let port = 0;
  const baton = {
    base: '',
    /** The SQLite file (for tests that seed rows no API makes in bulk). */
    dbPath: join(tmp, 'baton.db'),
    get log() {
      return log;
    },
    /** Starts `baton serve` (on the port it had before, after a stop). */
    async start() {
      const p = spawn(BIN, ['--db', db, 'serve', '--bind', `127.0.0.1:${port}`], { env });
      proc = p;
      const mark = log.length;
      baton.base = await new Promise((ok, ko) => {
        const timer = setTimeout(() => ko(new Error(`server did not start:\n${log}`)), 30_000);
        const onData = (d) => {
          log += d.toString();
          const m = /serving on (http:\/\/127\.0\.0\.1:(\d+))/.exec(log.slice(mark));
          if (m) {
            clearTimeout(timer);
            port = Number(m[2]);
            ok(m[1]);
          }
        };
        p.stdout.on('data', onData);
        p.stderr.on('data', onData);
        p.on('exit', (code) => {
          clearTimeout(timer);
          ko(new Error(`server exited (${code}):\n${log}`));
        });
      });
      return baton.base;
    },
    /** Stops the server and waits until it is gone: `SIGKILL` as a crash would, `SIGTERM`
     * as a restart does (it must not wait for the open live streams for ever). */
    async stop(signal = 'SIGKILL') {
      const p = proc;
      proc = null;
      if (!p || p.exitCode !== null || p.signalCode !== null) return;
      const gone = new Promise((ok) => p.once('exit', ok));
      p.kill(signal);
      const late = setTimeout(() => p.kill('SIGKILL'), 15_000);
      const t0 = Date.now();
      await gone;
      clearTimeout(late);
      if (Date.now() - t0 >= 15_000) fail(`the server ignored ${signal} with live streams open`);
    },
    async cleanup() {
      await baton.stop();
      rmSync(tmp, { recursive: true, force: true });
    },
  };
  return baton;
}

/** JSON over HTTP against the server, failing loudly. */
export async function api(base, method, path, body, headers = {}) {
  const res = await fetch(base + path, {
    method,
    headers: { 'Content-Type': 'application/json', ...headers },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await res.text();
  if (!res.ok) fail(`${method} ${path}: ${res.status} ${text}`);
  return text ? JSON.parse(text) : null;
}

/** The owner's bearer token. */
export async function signIn(base) {
  const s = await api(base, 'POST', '/v1/auth/login', { email: EMAIL, password: PASSWORD });
  return s.token;
}

export async function launchBrowser() {
  return chromium.launch({
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
}

/** A customer website on another origin with the widget on it; `close()` stops it. The
 * widget's address is read on every request, so it follows `baton.base`. */
export async function shopSite(baton) {
  const server = createServer((_req, res) => {
    res.writeHead(200, { 'Content-Type': 'text/html; charset=utf-8' });
    res.end(`<!doctype html><html lang="en"><head><meta name="viewport"
      content="width=device-width, initial-scale=1"><title>Acme shop</title></head>
      <body style="font-family:system-ui;margin:32px"><h1>Acme shop</h1>
      <p>Handmade mugs, shipped from Lisbon.</p>
      <script src="${baton.base}/widget.js" data-agent="1" data-title="Acme support" async></script>
      </body></html>`);
  });
  await new Promise((ok) => server.listen(0, '127.0.0.1', ok));
  return {
    url: `http://127.0.0.1:${server.address().port}/`,
    close: () => server.close(),
  };
}

/**
 * Collects page errors and console errors. While `quiet()` is on (the server is stopped on
 * purpose), failed connections are expected and not counted.
 */
export function errorWatch() {
  const errors = [];
  let outage = false;
  return {
    errors,
    /** `expected`: console errors that are part of the test (e.g. the 401 before sign-in). */
    watch(page, name, expected = null) {
      page.on('pageerror', (e) => errors.push(`${name}: ${e.message}`));
      page.on('console', (m) => {
        if (m.type() !== 'error') return;
        const t = m.text();
        if (outage && /net::ERR_|Failed to load resource|EventSource/.test(t)) return;
        if (expected && expected.test(t)) return;
        errors.push(`${name}: ${t}`);
      });
      return page;
    },
    quiet(on) {
      outage = on;
    },
  };
}

export async function shot(page, name, clip = undefined) {
  mkdirSync(SHOTS, { recursive: true });
  // Calm pictures: no running animation caught half-way.
  await page.evaluate(() => new Promise((r) => requestAnimationFrame(() => r())));
  await page.screenshot({ path: join(SHOTS, `${name}.png`), animations: 'disabled', clip });
}

export async function expectText(locator, re, what) {
  try {
    await locator.filter({ hasText: re }).first().waitFor();
  } catch {
    const actual = await locator.allInnerTexts().catch(() => []);
    fail(`${what}: expected ${re}, saw ${JSON.stringify(actual)}`);
  }
}

/** Waits until `f()` (run in the page) returns something truthy, and returns it; at most
 * `timeout` ms. */
export async function until(page, what, f, arg, timeout = 10_000) {
  try {
    const h = await page.waitForFunction(f, arg, { timeout });
    return await h.jsonValue();
  } catch {
    fail(`timed out waiting for ${what}`);
  }
}

export async function failureShots(context, prefix) {
  mkdirSync(SHOTS, { recursive: true });
  for (const [i, p] of context.pages().entries()) {
    await p.screenshot({ path: join(SHOTS, `${prefix}-failure-${i}.png`) }).catch(() => {});
  }
}

/** WCAG 2.1 A/AA problems axe-core finds on the page (shadow roots included). */
export async function axe(page) {
  await page.addScriptTag({ path: AXE });
  return page.evaluate(async () => {
    const r = await window.axe.run(document, {
      runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'] },
    });
    return r.violations.map(
      (v) => `${v.id}: ${v.help} (${v.nodes.map((n) => n.target.join(' ')).join(', ')})`,
    );
  });
}
