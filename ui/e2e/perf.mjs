// Dev helper: the inbox with many conversations. node e2e/perf.mjs BASE EMAIL PASSWORD
import { chromium } from 'playwright-core';
const [base, email, password] = process.argv.slice(2);
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
const page = await browser.newPage({ viewport: { width: 1360, height: 860 } });
await page.goto(base + '/');
await page.getByLabel('Email').fill(email);
await page.getByLabel('Password').fill(password);
await page.getByRole('button', { name: 'Sign in' }).click();
await page.getByRole('navigation', { name: 'Main' }).waitFor();
let t = Date.now();
await page.goto(base + '/#/inbox');
await page.getByRole('tab', { name: /Needs (agent|an operator)/ }).click();
await page.getByTestId('inbox-item').first().waitFor();
console.log(
  'first page',
  Date.now() - t,
  'ms; tab:',
  await page.getByRole('tab', { name: /Needs (agent|an operator)/ }).innerText(),
);
t = Date.now();
let loaded = 0;
for (let i = 0; i < 400; i++) {
  await page.locator('.viewport').evaluate((v) => (v.scrollTop = v.scrollHeight));
  await page.waitForTimeout(20);
  loaded = await page.locator('.vspace[role=listbox]').evaluate((e) => e.offsetHeight / 82);
  if (loaded >= 10000) break;
}
console.log(
  'scrolled to',
  loaded,
  'rows in',
  Date.now() - t,
  'ms; rows in DOM:',
  await page.getByTestId('inbox-item').count(),
);
t = Date.now();
for (let i = 0; i < 200; i++) await page.keyboard.press('k');
console.log('200 x k in', Date.now() - t, 'ms');
await page.keyboard.press('Enter');
await page.getByRole('region', { name: /Conversation with/ }).waitFor();
await page.screenshot({ path: 'e2e/out/perf.png' });
await browser.close();
