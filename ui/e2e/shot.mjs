// Dev helper: screenshots (into e2e/out) of pages of a running server, signed in.
//   node e2e/shot.mjs http://127.0.0.1:8787 EMAIL PASSWORD inbox handoff@1200 ...   (DARK=1 for the dark theme)
import { mkdirSync } from 'node:fs';
import { chromium } from 'playwright-core';
mkdirSync('e2e/out', { recursive: true });
const [base, email, password, ...pages] = process.argv.slice(2);
const browser = await chromium.launch({
  executablePath: '/usr/bin/chromium',
  args: [
    '--headless',
    '--no-sandbox',
    '--disable-gpu',
    '--disable-background-networking',
    '--disable-component-update',
    '--disable-sync',
    '--no-first-run',
    '--disable-quic',
  ],
});
const page = await browser.newPage({
  viewport: { width: 1280, height: 800 },
  colorScheme: process.env.DARK ? 'dark' : 'light',
});
page.on('console', (m) => console.log('console:', m.type(), m.text()));
page.on('pageerror', (e) => console.log('pageerror:', e.message));
await page.goto(base + '/');
await page.getByLabel('Email').fill(email);
await page.getByLabel('Password').fill(password);
await page.getByRole('button', { name: 'Sign in' }).click();
await page.getByRole('navigation', { name: 'Main' }).waitFor();
// page or page@scrollY
for (const spec of pages) {
  const [p, y] = spec.split('@');
  await page.goto(base + '/#/' + p);
  await page.waitForTimeout(700);
  if (y) await page.evaluate((y) => window.scrollTo(0, y), +y);
  await page.screenshot({ path: `e2e/out/${spec.replace(/[/@]/g, '_')}.png`, fullPage: !y });
  console.log('shot', spec);
}
await browser.close();
