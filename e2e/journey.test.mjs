// The foundation journey a social worker takes, in headless Chromium.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import ExcelJS from 'exceljs';
import { startServer, startBrowser, step } from './harness.mjs';

let server;
let browser;

before(async () => {
  server = await startServer();
  browser = await startBrowser();
});

after(async () => {
  await browser?.close();
  server?.stop();
});

async function signIn(page, username) {
  await page.goto(`${server.base}/login`);
  await page.fill('#username', username);
  await page.fill('#password', 'familylink-demo');
  await page.press('#password', 'Enter');
  await page.waitForSelector('#logout');
}

test('a worker registers a client, finds, opens, exports and charts', async () => {
  const context = await browser.newContext({ acceptDownloads: true, viewport: { width: 1280, height: 900 } });
  const page = await context.newPage();
  const pageErrors = [];
  page.on('pageerror', (error) => pageErrors.push(error.message));
  // The app must work under its own Content-Security-Policy.
  page.on('console', (message) => /Content Security Policy/i.test(message.text()) && pageErrors.push(message.text()));

  await step(page, 'login', () => signIn(page, 'worker'));

  await step(page, 'validation errors show beside the field', async () => {
    await page.goto(`${server.base}/clients/new`);
    await page.fill('#name_zh', '溫柔敦');
    await page.selectOption('#sex', 'F');
    await page.fill('#date_of_birth', '1990-02-03');
    await page.fill('#phone', '1234');
    await page.selectOption('#district', 'F');
    await page.fill('#hkid', 'A123456(4)');
    await page.click('#client-submit');
    await page.waitForSelector('#phone-error:not(:empty)');
    assert.equal(await page.getAttribute('#phone', 'aria-invalid'), 'true');
    assert.ok((await page.textContent('#hkid-error')).trim().length > 0);
  });

  await step(page, 'register', async () => {
    await page.fill('#name_en', 'WAN Yau Tun');
    await page.fill('#phone', '6123 4567');
    await page.fill('#hkid', 'A123456(3)');
    // Submitting by keyboard, as a worker under pressure would.
    await page.focus('#client-submit');
    await page.keyboard.press('Enter');
    await page.waitForSelector('#client-detail');
    const detail = await page.textContent('#client-detail');
    assert.match(detail, /溫柔敦/);
    assert.match(detail, /A123\*\*\*\(\*\)/);
    assert.doesNotMatch(detail, /A123456/);
  });

  await step(page, 'find by HKID and by a Chinese name fragment, and open', async () => {
    await page.goto(`${server.base}/clients`);
    await page.waitForFunction(() => document.querySelectorAll('tbody tr').length > 1);
    // A full HKID finds the client, and never appears in the address.
    await page.fill('#client-search', 'A123456(3)');
    await page.press('#client-search', 'Enter');
    await page.waitForFunction(() => document.querySelectorAll('tbody tr').length === 1);
    assert.match(await page.textContent('tbody'), /溫柔敦/);
    assert.doesNotMatch(decodeURIComponent(page.url()), /A123456/);

    await page.goto(`${server.base}/clients`);
    await page.waitForFunction(() => document.querySelectorAll('tbody tr').length > 1);
    await page.fill('#client-search', '柔敦');
    await page.press('#client-search', 'Enter');
    await page.waitForFunction(() => document.querySelectorAll('tbody tr').length === 1);
    const link = page.locator('a', { hasText: '溫柔敦' });
    await link.first().click();
    await page.waitForSelector('#client-detail');
    assert.match(await page.textContent('#client-detail'), /WAN Yau Tun/);
  });

  await step(page, 'switch language', async () => {
    await page.goto(`${server.base}/clients/new`);
    const label = page.locator('label[for="name_zh"]');
    assert.equal((await label.textContent()).trim(), '中文姓名');
    assert.equal(await page.getAttribute('html', 'lang'), 'zh-HK');
    const nav = await page.textContent('nav');
    await page.click('#locale-switch');
    await page.waitForFunction(() => document.documentElement.lang === 'en');
    assert.equal((await label.textContent()).trim(), 'Chinese name');
    assert.equal((await page.locator('label[for="district"]').textContent()).trim(), 'District');
    assert.notEqual(await page.textContent('nav'), nav);
    // Remembered for this user: a fresh sign-in comes back in English.
    const again = await context.newPage();
    await signIn(again, 'worker');
    assert.equal(await again.getAttribute('html', 'lang'), 'en');
    await again.close();
  });

  await step(page, 'export to Excel and open it', async () => {
    await page.goto(`${server.base}/clients`);
    await page.waitForSelector('#export-clients');
    const [download] = await Promise.all([page.waitForEvent('download'), page.click('#export-clients')]);
    const path = await download.path();
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.readFile(path);
    const sheet = workbook.worksheets[0];
    assert.equal(sheet.getRow(1).getCell(1).value, '中文姓名 Chinese name');
    const names = [];
    sheet.eachRow((row, n) => n > 1 && names.push(row.getCell(1).value));
    assert.ok(names.includes('溫柔敦'), `exported names: ${names}`);
    const ours = [];
    sheet.eachRow((row) => row.getCell(1).value === '溫柔敦' && ours.push(row));
    assert.ok(ours[0].getCell(4).value instanceof Date, 'date of birth is an Excel date');
    assert.equal(sheet.views[0].state, 'frozen');
  });

  await step(page, 'district chart is drawn', async () => {
    await page.goto(`${server.base}/das`);
    await page.waitForSelector('#district-chart .main-svg', { timeout: 20000 });
    const bars = await page.locator('#district-chart .bars .point').count();
    assert.equal(bars, 18);
    const scripts = await page.locator('script[src*="plotly"]').count();
    assert.equal(scripts, 1, 'plotly.js is loaded on the chart page');
  });

  await step(page, 'plotly is not loaded where no chart is shown', async () => {
    await page.goto(`${server.base}/clients`);
    await page.waitForSelector('#client-search');
    assert.equal(await page.locator('script[src*="plotly"]').count(), 0);
    assert.equal(await page.evaluate(() => typeof window.Plotly), 'undefined');
  });

  assert.deepEqual(pageErrors, []);
  await context.close();

  // The HKID was typed into a form and a search box: the server's log never saw it.
  assert.match(server.log(), /request/);
  assert.doesNotMatch(server.log(), /123456/);
});

test('another centre cannot open the client and sign-out ends the session', async () => {
  const context = await browser.newContext();
  const page = await context.newPage();
  await step(page, 'other centre', async () => {
    await signIn(page, 'worker2');
    await page.goto(`${server.base}/clients`);
    await page.fill('#client-search', '柔敦');
    await page.press('#client-search', 'Enter');
    await page.waitForLoadState('networkidle');
    assert.equal(await page.locator('a', { hasText: '溫柔敦' }).count(), 0);
  });
  await step(page, 'sign out', async () => {
    await page.click('#logout');
    await page.waitForSelector('#username');
    await page.goto(`${server.base}/clients`);
    await page.waitForSelector('#username');
  });
  await context.close();
});

test('the app is sent compressed; hashed files are kept, index.html is revalidated', async () => {
  const context = await browser.newContext();
  const page = await context.newPage();
  const responses = [];
  page.on('response', (response) => responses.push(response));
  await step(page, 'compression and caching headers', async () => {
    await page.goto(`${server.base}/login`);
    await page.waitForSelector('#username');
    const wasm = responses.find((response) => response.url().endsWith('_bg.wasm'));
    assert.ok(wasm, 'the wasm was fetched');
    const wasmHeaders = await wasm.allHeaders();
    // Chromium offers Brotli on HTTPS and localhost only: elsewhere over plain HTTP it gets gzip.
    assert.match(wasmHeaders['content-encoding'] ?? '', /^(br|gzip)$/);
    assert.match(wasmHeaders['cache-control'] ?? '', /\bimmutable\b/);
    const index = responses.find((response) => response.url() === `${server.base}/login`);
    assert.equal((await index.allHeaders())['cache-control'], 'no-cache');
  });
  await context.close();
});
