// The foundation journey a social worker takes, in headless Chromium.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import ExcelJS from 'exceljs';
import { execFileSync } from 'node:child_process';
import { copyFileSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { clickPlotPoint, startServer, startBrowser, step } from './harness.mjs';

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

async function signIn(page, username, base = server.base) {
  await page.goto(`${base}/login`);
  await page.fill('#username', username);
  await page.fill('#password', 'familylink-demo');
  await page.press('#password', 'Enter');
  await page.waitForSelector('#logout');
}

test('a worker registers a client, finds and opens it, and sees the district chart', async () => {
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

  await step(page, 'the dashboards draw their charts', async () => {
    await page.goto(`${server.base}/das`);
    await page.waitForSelector('#das-cases-by-district .main-svg', { timeout: 20000 });
    // The 18 districts and those not recorded, in the chart's table.
    assert.equal(await page.locator('#das-cases-by-district-figure thead th').count(), 1 + 19 + 1);
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

  // The HKID was typed into a form and a search box: no request line of the server's log
  // (method, path, status) holds it.
  const requests = server.log().split('\n').filter((line) => /request (served|refused|failed)/.test(line));
  assert.ok(requests.length > 10, `the log has request lines: ${requests.length}`);
  assert.doesNotMatch(server.log(), /123456/);
  // The server started on an empty database and loaded the demo: a clean start logs no error.
  assert.doesNotMatch(server.log(), /\bERROR\b/);
});

test('a supervisor exports the centre list to Excel', async () => {
  const context = await browser.newContext({ acceptDownloads: true });
  const page = await context.newPage();
  const name = await registerThroughApi('worker', '匯出測試', 'EXPORT Test');
  await step(page, 'export to Excel and open it', async () => {
    await signIn(page, 'supervisor');
    await page.goto(`${server.base}/clients`);
    await page.waitForSelector('#export-clients');
    const [download] = await Promise.all([page.waitForEvent('download'), page.click('#export-clients')]);
    const path = await download.path();
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.readFile(path);
    const sheet = workbook.worksheets[0];
    assert.equal(sheet.getRow(1).getCell(1).value, '中文姓名 Chinese name');
    const ours = [];
    sheet.eachRow((row, n) => n > 1 && row.getCell(1).value === name && ours.push(row));
    assert.equal(ours.length, 1, `${name} is in the export`);
    assert.ok(ours[0].getCell(4).value instanceof Date, 'date of birth is an Excel date');
    assert.equal(sheet.views[0].state, 'frozen');
    assert.equal(await page.locator('#export-cut').count(), 0, 'the whole list fits');
  });
  await step(page, 'a worker has no export', async () => {
    const other = await context.newPage();
    await signIn(other, 'worker');
    await other.goto(`${server.base}/clients`);
    await other.waitForSelector('#client-search');
    assert.equal(await other.locator('#export-clients').count(), 0);
  });
  await context.close();
});

test('an export cut at its row limit says so', async () => {
  // A server whose exports hold five rows, against the demo centre's twelve clients.
  const small = await startServer({ FAMILYLINK_EXPORT_ROW_LIMIT: '5' });
  const context = await browser.newContext({ acceptDownloads: true });
  const page = await context.newPage();
  try {
    await step(page, 'the cut is shown', async () => {
      await signIn(page, 'supervisor', small.base);
      await page.goto(`${small.base}/clients`);
      await page.waitForSelector('#export-clients');
      await Promise.all([page.waitForEvent('download'), page.click('#export-clients')]);
      await page.waitForSelector('#export-cut');
      const notice = await page.textContent('#export-cut');
      assert.match(notice, /\b5\b/);
      assert.match(notice, /\b12\b/);
    });
  } finally {
    await context.close();
    small.stop();
  }
});

/// Another journey may have left the user's language at English: this one reads Chinese.
async function inChinese(page) {
  await page.waitForSelector('#locale-switch');
  if ((await page.getAttribute('html', 'lang')) !== 'zh-HK') {
    await page.click('#locale-switch');
    await page.waitForFunction(() => document.documentElement.lang === 'zh-HK');
  }
}

/// Waits until the element's text matches `pattern` (what loads apart, such as names
/// from the taxonomy, may arrive after the element).
async function waitForText(page, selector, pattern) {
  await page.waitForFunction(
    ([selector, source]) => new RegExp(source).test(document.querySelector(selector)?.textContent ?? ''),
    [selector, pattern.source],
  );
}

/// A token of `username`'s, for what a test sets up through the API.
async function apiToken(username) {
  const login = await fetch(`${server.base}/api/auth/login`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ username, password: 'familylink-demo' }),
  });
  assert.equal(login.status, 200);
  return (await login.json()).token;
}

/// POSTs what a test sets up through the API with `token`; answers the record created.
async function created(token, path, body) {
  const reply = await fetch(`${server.base}${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
    body: JSON.stringify(body),
  });
  assert.equal(reply.status, 201, JSON.stringify(await reply.clone().json()));
  return reply.json();
}

/// Registers a client through the API as `username`; answers the Chinese name used.
async function registerThroughApi(username, nameZh, nameEn) {
  const token = await apiToken(username);
  const created = await fetch(`${server.base}/api/clients`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
    body: JSON.stringify({
      name_zh: nameZh,
      name_en: nameEn,
      sex: 'F',
      date_of_birth: '1979-09-09',
      phone: '2345 6789',
      district: 'F',
    }),
  });
  assert.equal(created.status, 201);
  registered.set(nameZh, (await created.json()).id);
  return nameZh;
}
const registered = new Map();

test('a worker opens a case, finds its note by a Chinese word, and asks to close it; the supervisor approves from the waiting list', async () => {
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  const page = await context.newPage();
  const pageErrors = [];
  page.on('pageerror', (error) => pageErrors.push(error.message));
  try {
    const name = await registerThroughApi('worker', '馮家慧', 'FUNG Ka Wai');
    const clientId = registered.get(name);
    await step(page, 'sign in', async () => {
      await signIn(page, 'worker');
      await inChinese(page);
    });

    await step(page, 'open a case from the client record', async () => {
      await page.goto(`${server.base}/clients/${clientId}`);
      await page.click('a.open-case-link');
      await page.waitForSelector('#open-case');
      // Missing choices are named beside their fields.
      await page.click('#open-case button[type=submit]');
      await page.waitForSelector('#case_type-error');
      await page.selectOption('#case_type', 'in_depth_counselling');
      await page.selectOption('#referral_source', 'school_social_worker');
      await page.check('#nature-parent_child');
      await page.check('#nature-emotional');
      await page.focus('#open-case button[type=submit]');
      await page.keyboard.press('Enter');
      await page.waitForSelector('#case-summary');
      assert.match(await page.textContent('#case-state'), /跟進中/);
      await waitForText(page, '#case-summary', /親子關係及管教/);
    });

    await step(page, 'write a contact note', async () => {
      await page.fill('#note-contact_at', '2026-11-02T10:30');
      await page.dispatchEvent('#note-contact_at', 'change');
      await page.selectOption('#note-contact_type', 'home_visit');
      await page.fill('#note-duration', '60');
      await page.dispatchEvent('#note-duration', 'change');
      await page.check(`#note-person-${clientId}`);
      await page.fill('#note-narrative', '家訪：與母親傾談管教方法，女兒情緒較前穩定。');
      await page.dispatchEvent('#note-narrative', 'change');
      await page.click('#new-note button[type=submit]');
      await page.waitForFunction(() => /情緒較前穩定/.test(document.querySelector('#case-notes ol')?.textContent ?? ''));
      assert.match(await page.textContent('#case-notes ol'), /家訪/);
    });

    await step(page, 'find the note by a two-character Chinese word and open its case', async () => {
      const casePage = page.url();
      await page.click('nav a[href="/cases"]');
      await page.click('a.note-search-link');
      await page.waitForSelector('#note-search-q');
      // Chinese has no spaces: 情緒 sits inside a longer run of characters.
      await page.fill('#note-search-q', '情緒');
      await page.press('#note-search-q', 'Enter');
      const hit = page.locator('#note-search-results li', { hasText: '情緒較前穩定' });
      await hit.waitFor();
      assert.match(await hit.textContent(), /馮家慧/);
      await hit.locator('a').click();
      await page.waitForSelector('#case-summary');
      assert.equal(page.url(), casePage);
    });

    await step(page, 'request closure', async () => {
      await page.selectOption('#closure_reason', 'goals_achieved');
      await page.fill('#closing_summary', '家長已掌握管教技巧，親子關係改善。');
      await page.dispatchEvent('#closing_summary', 'change');
      await page.click('#closure-request button[type=submit]');
      await page.waitForFunction(() => /等待批核結案/.test(document.querySelector('#case-state')?.textContent ?? ''));
      assert.equal(await page.locator('#closure-request').count(), 0, 'nothing more to change while it waits');
    });
    const caseUrl = page.url();

    const supervisor = await context.browser().newContext({ viewport: { width: 1280, height: 900 } });
    const review = await supervisor.newPage();
    review.on('pageerror', (error) => pageErrors.push(error.message));
    await step(review, 'supervisor approves from the closures waiting', async () => {
      await signIn(review, 'supervisor');
      await inChinese(review);
      await review.goto(`${server.base}/cases?pending=closure`);
      await review.waitForSelector('#case-table');
      await review.locator('#case-table a').first().click();
      await review.waitForSelector('#approve-closure');
      assert.equal(review.url(), caseUrl);
      await review.fill('#decision-comment', '同意結案');
      await review.dispatchEvent('#decision-comment', 'change');
      await review.click('#approve-closure');
      await review.waitForFunction(() => /已結案/.test(document.querySelector('#case-state')?.textContent ?? ''));
      assert.match(await review.textContent('#case-history'), /結案/);
      assert.match(await review.textContent('#closure-decision'), /已批准/);
    });
    await supervisor.close();
    assert.deepEqual(pageErrors, []);
  } finally {
    await context.close();
  }
});

test("a worker's day: an anonymous enquiry promoted to a client and a case (a likely duplicate declined), a note, a plan goal, a referral with consent, the household, closure approved from the supervisor's home", async () => {
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  const page = await context.newPage();
  const pageErrors = [];
  page.on('pageerror', (error) => pageErrors.push(error.message));
  page.on('console', (message) => /Content Security Policy/i.test(message.text()) && pageErrors.push(message.text()));
  try {
    // Someone of the same name registered before: the likely duplicate to decline.
    await registerThroughApi('worker', '程美玲', 'CHING Mei Ling');
    await step(page, 'sign in', async () => {
      await signIn(page, 'worker');
      await inChinese(page);
    });

    let enquiryUrl;
    await step(page, 'record an anonymous enquiry from the i-Connect navigation', async () => {
      await page.click('nav a[href="/enquiries"]');
      await page.waitForSelector('.result-count');
      await page.click('a[href="/enquiries/new"]');
      await page.waitForSelector('#enquiry-form');
      // Missing answers are named beside their fields.
      await page.click('#enquiry-submit');
      await page.waitForSelector('#enquiry-channel-error');
      assert.equal(await page.getAttribute('#enquiry-channel', 'aria-invalid'), 'true');
      await page.selectOption('#enquiry-channel', 'walk_in');
      await page.check('#topic-housing');
      await page.check('#topic-financial');
      await page.fill('#enquiry-minutes_spent', '25');
      await page.dispatchEvent('#enquiry-minutes_spent', 'change');
      await page.selectOption('#enquiry-outcome', 'follow_up_needed');
      await page.fill('#enquiry-summary', '查詢體恤安置，家庭經濟困難，約下星期再來。');
      await page.dispatchEvent('#enquiry-summary', 'change');
      await page.focus('#enquiry-submit');
      await page.keyboard.press('Enter');
      await page.waitForSelector('#enquiry-detail');
      assert.match(await page.textContent('#enquiry-detail'), /匿名/);
      // Topic names come with the taxonomy, which may arrive after the enquiry.
      await page.waitForFunction(() => /住屋問題/.test(document.querySelector('#enquiry-detail')?.textContent ?? ''));
      enquiryUrl = page.url();
    });

    await step(page, 'the log lists it, newest first', async () => {
      await page.goto(`${server.base}/enquiries?promoted=false`);
      await page.waitForSelector('#enquiry-table');
      assert.match(await page.textContent('#enquiry-table tbody tr:first-child'), /匿名/);
      await page.locator('#enquiry-table tbody tr:first-child a').click();
      await page.waitForSelector('#enquiry-detail');
      assert.equal(page.url(), enquiryUrl);
    });

    await step(page, 'promote: the likely duplicate is offered and declined', async () => {
      await page.click('a[href$="/promote"]');
      await page.waitForSelector('#client-submit');
      await page.fill('#name_zh', '程美玲');
      await page.fill('#name_en', 'CHING Mei Ling');
      await page.selectOption('#sex', 'F');
      // The same name and date of birth as the earlier record: a likely duplicate, not a certain one.
      await page.fill('#date_of_birth', '1979-09-09');
      await page.fill('#phone', '9345 6789');
      await page.selectOption('#district', 'F');
      await page.waitForSelector('#client-matches li');
      assert.match(await page.textContent('#client-matches'), /程美玲/);
      assert.ok(await page.isDisabled('#client-submit'), 'registering waits for an answer about the match');
      await page.check('#client-matches-none');
      // The case starts from the enquiry: its topics, referred by the family themselves.
      assert.ok(await page.isChecked('#nature-housing'));
      assert.equal(await page.inputValue('#referral_source'), 'self');
      await page.selectOption('#case_type', 'brief_supportive');
      await page.focus('#client-submit');
      await page.keyboard.press('Enter');
      await page.waitForSelector('#case-summary');
      assert.match(await page.textContent('h1'), /程美玲/);
      await waitForText(page, '#case-summary', /住屋問題/);
      assert.match(await page.textContent('#case-state'), /跟進中/);
    });

    await step(page, 'write a note on the new case', async () => {
      await page.fill('#note-contact_at', '2026-11-02T10:30');
      await page.dispatchEvent('#note-contact_at', 'change');
      await page.selectOption('#note-contact_type', 'office_interview');
      await page.fill('#note-duration', '45');
      await page.dispatchEvent('#note-duration', 'change');
      await page.fill('#note-narrative', '面談：了解住屋及經濟情況，協助申請體恤安置。');
      await page.dispatchEvent('#note-narrative', 'change');
      await page.click('#new-note button[type=submit]');
      await page.waitForFunction(() => /體恤安置/.test(document.querySelector('#case-notes ol')?.textContent ?? ''));
    });

    const caseUrl = page.url();
    await step(page, 'set a plan with a goal', async () => {
      await page.click('#case-plan details summary');
      await page.fill('#goal-new-description', '改善住屋情況，完成體恤安置申請');
      await page.dispatchEvent('#goal-new-description', 'change');
      await page.fill('#goal-new-target_date', '2027-03-31');
      await page.dispatchEvent('#goal-new-target_date', 'change');
      await page.click('#goal-new button[type=submit]');
      await page.waitForFunction(() => /完成體恤安置申請/.test(document.querySelector('#plan-goals')?.textContent ?? ''));
    });

    await step(page, 'refer the family out, with consent recorded before it is sent', async () => {
      await page.click('#case-referrals details summary');
      await page.selectOption('#referral-direction', 'out');
      await page.fill('#referral-agency_name', '社會福利署');
      await page.dispatchEvent('#referral-agency_name', 'change');
      await page.selectOption('#referral-service_type', 'housing');
      await page.fill('#referral-reason', '推薦體恤安置');
      await page.dispatchEvent('#referral-reason', 'change');
      await page.fill('#referral-info_shared', '家庭狀況及經濟資料');
      await page.dispatchEvent('#referral-info_shared', 'change');
      await page.click('#new-referral button[type=submit]');
      await page.waitForSelector('#referral-list .send-form');
      assert.ok(await page.isDisabled('#referral-list .send-form button[type=submit]'), 'nothing leaves before consent');
      await page.fill('.consent-form input[id$="-name"]', '程美玲');
      await page.dispatchEvent('.consent-form input[id$="-name"]', 'change');
      await page.selectOption('.consent-form select[id$="-who"]', 'client');
      await page.fill('.consent-form textarea[id$="-scope"]', '同意向社署提供家庭狀況及經濟資料');
      await page.dispatchEvent('.consent-form textarea[id$="-scope"]', 'change');
      await page.click('.consent-form button[type=submit]');
      await page.waitForFunction(() => document.querySelector('#referral-list .send-form button[type=submit]')?.disabled === false);
      await page.fill('.send-form input[id$="-due"]', '2027-01-15');
      await page.dispatchEvent('.send-form input[id$="-due"]', 'change');
      await page.click('.send-form button[type=submit]');
      await page.waitForFunction(() => /已發出/.test(document.querySelector('#referral-list')?.textContent ?? ''));
    });

    await step(page, 'record the household with a child', async () => {
      await registerThroughApi('worker', '程子軒', 'CHING Tsz Hin');
      await page.click('#case-summary a[href^="/clients/"]');
      await page.waitForSelector('#household-form');
      await page.selectOption('#household-household_type', 'single_parent');
      await page.selectOption('#household-housing_type', 'subdivided_unit');
      await page.selectOption('#household-district', 'F');
      await page.fill('#household-address', '深水埗福華街 100 號 5 樓');
      await page.dispatchEvent('#household-address', 'change');
      await page.selectOption('#household-cssa_status', 'receiving');
      await page.selectOption('#household-cssa_case_type', 'single_parent');
      await page.selectOption('#household-income_band', 'under_6000');
      await page.click('#household-form button[type=submit]');
      await page.waitForSelector('#household-members');
      await page.selectOption('#member-relationship', 'child');
      await page.fill('#member-search', '程子軒');
      await page.click('.member-candidates button.candidate-action');
      await page.waitForFunction(() => /程子軒/.test(document.querySelector('#household-members')?.textContent ?? ''));
      assert.match(await page.textContent('#household-members'), /子女/);
      assert.match(await page.textContent('#household-details'), /劏房/);
      await page.goto(caseUrl);
      await page.waitForSelector('#case-summary');
    });

    await step(page, 'request closure', async () => {
      await page.selectOption('#closure_reason', 'goals_achieved');
      await page.fill('#closing_summary', '已轉介社署跟進住屋，家庭情況穩定。');
      await page.dispatchEvent('#closing_summary', 'change');
      await page.click('#closure-request button[type=submit]');
      await page.waitForFunction(() => /等待批核結案/.test(document.querySelector('#case-state')?.textContent ?? ''));
    });

    const supervisor = await context.browser().newContext({ viewport: { width: 1280, height: 900 } });
    const review = await supervisor.newPage();
    review.on('pageerror', (error) => pageErrors.push(error.message));
    await step(review, 'the supervisor approves it from the home page', async () => {
      await signIn(review, 'supervisor');
      await inChinese(review);
      await review.waitForSelector('#closures-waiting');
      const caseNumber = (await page.textContent('h1')).match(/[A-Z]+(?:-[A-Z]+)*-\d{4}-\d{5}/)[0];
      const row = review.locator('#closures-waiting tbody tr', { hasText: caseNumber });
      await row.locator('button.approve-closure').click();
      await review.waitForFunction(() => /已批准結案/.test(document.querySelector('#home-notice')?.textContent ?? ''));
      // The list reloads after the approval: the case leaves it.
      await review.waitForFunction(
        (number) => ![...document.querySelectorAll('#closures-waiting tbody tr')].some((row) => row.textContent.includes(number)),
        caseNumber,
      );
      await review.goto(caseUrl);
      await review.waitForFunction(() => /已結案/.test(document.querySelector('#case-state')?.textContent ?? ''));
    });
    await supervisor.close();

    await step(page, 'the enquiry says it was promoted', async () => {
      await page.goto(enquiryUrl);
      await page.waitForSelector('#enquiry-detail');
      assert.match(await page.textContent('#enquiry-outcome-shown'), /已轉為個案/);
      assert.equal(await page.locator('a[href$="/promote"]').count(), 0, 'promoted once only');
    });
    assert.deepEqual(pageErrors, []);
  } finally {
    await context.close();
  }
});

test('a family member is registered by age alone; a supervisor merges a duplicate and both records explain it', async () => {
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  const page = await context.newPage();
  const pageErrors = [];
  page.on('pageerror', (error) => pageErrors.push(error.message));
  await step(page, 'member by age', async () => {
    await signIn(page, 'worker');
    await page.goto(`${server.base}/clients/new`);
    await page.fill('#name_zh', '何小儀');
    await page.selectOption('#sex', 'F');
    await page.fill('#age', '9');
    await page.fill('#school', '深水埗官立小學');
    await page.selectOption('#preferred_language', 'cantonese');
    await page.check('#disability-autism');
    await page.click('#client-submit');
    await page.waitForSelector('#client-detail');
    const detail = await page.textContent('#client-detail');
    assert.match(detail, /約 9 歲|About 9/);
    assert.match(detail, /深水埗官立小學/);
    assert.match(detail, /自閉症|Autism/);
    await page.click('#logout');
    await page.waitForSelector('#username');
  });
  const kept = await registerThroughApi('worker', '莫合併', 'MOK Hop Ping');
  const duplicate = await registerThroughApi('worker', '莫合拼', 'MOK Hop Ping');
  await step(page, 'merge', async () => {
    await signIn(page, 'supervisor');
    await page.goto(`${server.base}/clients/${registered.get(kept)}`);
    await page.click('details.merge summary');
    await page.fill('#merge-term', 'MOK Hop');
    await page.press('#merge-term', 'Enter');
    await page.click(`#merge-choose-${registered.get(duplicate)}`);
    await page.fill('#merge-reason', '同一人，登記兩次');
    await page.click('#merge-submit');
    await page.waitForSelector('#client-merges .merges li');
    assert.match(await page.textContent('#client-merges .merges'), /莫合拼/);
  });
  await step(page, 'tombstone', async () => {
    await page.goto(`${server.base}/clients/${registered.get(duplicate)}`);
    await page.waitForSelector('#merged-into');
    assert.match(await page.textContent('#merged-into'), /莫合併/);
    assert.match(await page.textContent('#merged-into'), /同一人，登記兩次/);
    assert.equal(await page.locator('#client-edit').count(), 0);
  });
  assert.deepEqual(pageErrors, []);
  await context.close();
});

test('the platform admin adds, reorders, renames and retires a case nature; a worker is offered it while it is in use', async () => {
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  const page = await context.newPage();
  const pageErrors = [];
  page.on('pageerror', (error) => pageErrors.push(error.message));
  const rowIds = () => page.$$eval('#taxonomy tbody tr', (rows) => rows.map((row) => row.id));
  await step(page, 'taxonomy: add', async () => {
    await signIn(page, 'admin');
    await inChinese(page);
    await page.click('a[href="/admin"]');
    await page.waitForSelector('#taxonomy');
    await page.click('details.panel summary');
    await page.fill('#taxonomy-code', 'Gambling-Debt');
    await page.fill('#taxonomy-name_zh', '賭債');
    await page.fill('#taxonomy-name_en', 'Gambling debt');
    await page.click('#taxonomy-add');
    await page.waitForSelector('#taxonomy-code-error');
    await page.fill('#taxonomy-code', 'gambling_debt');
    await page.focus('#taxonomy-add');
    await page.keyboard.press('Enter');
    await page.waitForSelector('#taxonomy-row-gambling_debt');
    assert.equal((await rowIds()).at(-1), 'taxonomy-row-gambling_debt');
  });
  await step(page, 'taxonomy: move and rename', async () => {
    await page.click('#taxonomy-row-gambling_debt-up');
    await page.waitForFunction(() => {
      const rows = [...document.querySelectorAll('#taxonomy tbody tr')];
      return rows.length > 1 && rows.at(-2).id === 'taxonomy-row-gambling_debt';
    });
    await page.click('#taxonomy-row-gambling_debt-edit');
    await page.fill('#taxonomy-row-gambling_debt-name_zh', '賭博債務');
    await page.click('#taxonomy-row-gambling_debt-form button[type=submit]');
    await page.waitForFunction(() => document.querySelector('#taxonomy-row-gambling_debt')?.textContent.includes('賭博債務'));
  });
  const name = await registerThroughApi('worker', '凌家欣', 'LING Ka Yan');
  const worker = await context.browser().newContext({ viewport: { width: 1280, height: 900 } });
  const workerPage = await worker.newPage();
  await step(workerPage, 'taxonomy: offered to a worker', async () => {
    await signIn(workerPage, 'worker');
    await inChinese(workerPage);
    await workerPage.goto(`${server.base}/clients/${registered.get(name)}`);
    await workerPage.click('a.open-case-link');
    await workerPage.waitForSelector('#nature-gambling_debt');
    assert.match(await workerPage.textContent('label[for="nature-gambling_debt"]'), /賭博債務/);
  });
  await step(page, 'taxonomy: retire', async () => {
    await page.click('#taxonomy-row-gambling_debt-edit');
    await page.uncheck('#taxonomy-row-gambling_debt-active');
    await page.click('#taxonomy-row-gambling_debt-form button[type=submit]');
    await page.waitForFunction(() => document.querySelector('#taxonomy-row-gambling_debt')?.textContent.includes('已停用'));
  });
  await step(workerPage, 'taxonomy: no longer offered', async () => {
    await workerPage.reload();
    await workerPage.waitForSelector('#nature-emotional');
    assert.equal(await workerPage.locator('#nature-gambling_debt').count(), 0);
  });
  assert.deepEqual(pageErrors, []);
  await worker.close();
  await context.close();
});

/// A Hong Kong day `days` from today, as a date input takes it.
function hongKongDay(days) {
  return new Date(Date.now() + 8 * 3600e3 + days * 86400e3).toISOString().slice(0, 10);
}

test('a worker plans a weekly group of six, enrols two clients (one waits), takes the first roll call with a headcount, gives the one waiting a place, and sees the attendance on the case', async () => {
  const context = await browser.newContext({ viewport: { width: 1024, height: 768 } });
  const page = await context.newPage();
  const pageErrors = [];
  page.on('pageerror', (error) => pageErrors.push(error.message));
  try {
    const first = await registerThroughApi('worker', '蘇慧敏', 'SO Wai Man');
    await registerThroughApi('worker', '鄧志強', 'TANG Chi Keung');
    const firstId = registered.get(first);
    await step(page, 'sign in', async () => {
      await signIn(page, 'worker');
      await inChinese(page);
    });

    await step(page, 'plan a group with one place', async () => {
      await page.click('nav a[href="/groups"]');
      await page.click('a[href="/groups/new"]');
      await page.waitForSelector('#activity-form');
      // Missing fields are named beside them.
      await page.click('#activity-submit');
      await page.waitForSelector('#activity-title_zh-error');
      await page.selectOption('#activity-format', 'support_group');
      await page.fill('#activity-title_zh', '家長情緒支援小組');
      await page.dispatchEvent('#activity-title_zh', 'change');
      await page.fill('#activity-title_en', 'Parents’ emotional support group');
      await page.dispatchEvent('#activity-title_en', 'change');
      await page.selectOption('#activity-target_group', 'parents');
      await page.fill('#activity-capacity', '1');
      await page.dispatchEvent('#activity-capacity', 'change');
      await page.fill('#activity-venue', '活動室二');
      await page.dispatchEvent('#activity-venue', 'change');
      await page.fill('#activity-planned_start', hongKongDay(-1));
      await page.dispatchEvent('#activity-planned_start', 'change');
      await page.fill('#activity-planned_end', hongKongDay(40));
      await page.dispatchEvent('#activity-planned_end', 'change');
      await page.check('#theme-emotional');
      await page.focus('#activity-submit');
      await page.keyboard.press('Enter');
      await page.waitForSelector('#activity-summary');
      assert.match(await page.textContent('h1'), /家長情緒支援小組/);
    });
    const groupUrl = page.url();

    await step(page, 'six weekly sessions in one step', async () => {
      await page.fill('#session-starts_at', `${hongKongDay(-1)}T19:00`);
      await page.dispatchEvent('#session-starts_at', 'change');
      await page.fill('#session-weeks', '6');
      await page.dispatchEvent('#session-weeks', 'change');
      await page.click('#session-submit');
      await page.waitForFunction(() => document.querySelectorAll('#session-table tbody tr').length === 6);
    });

    await step(page, "the week's calendar shows the first session", async () => {
      await page.goto(`${server.base}/groups/calendar?date=${hongKongDay(-1)}`);
      await waitForText(page, '#calendar', /家長情緒支援小組/);
      await page.selectOption('#calendar-view', 'month');
      await waitForText(page, '#calendar-caption', /共 [1-9]\d* 節/);
      await page.goto(groupUrl);
      await page.waitForSelector('#session-table');
    });

    await step(page, 'enrol two clients, one from her record, one found on the group page: the second waits', async () => {
      await page.goto(`${server.base}/clients/${firstId}`);
      const option = page.locator('.enrol-form option', { hasText: '家長情緒支援小組' });
      await option.waitFor({ state: 'attached' });
      await page.selectOption('.enrol-form select', await option.getAttribute('value'));
      await page.click('.enrol-form .enrol-submit');
      await waitForText(page, '.enrol-form [role=status]', /獲取錄/);
      await page.goto(groupUrl);
      await page.fill('#enrol-search', '鄧志強');
      const candidate = page.locator('.enrol-someone .candidate-action', { hasText: '報名' });
      await candidate.first().click();
      await waitForText(page, '#enrol-notice', /輪候/);
      await waitForText(page, '#activity-waiting', /1/);
      await page.waitForSelector('#member-table');
    });

    await step(page, 'take the first roll call with an anonymous headcount', async () => {
      await page.locator('#session-table a').first().click();
      await page.waitForSelector('#roll-call-form');
      assert.equal(await page.locator('#roll-lines li').count(), 1, 'only the member with a place');
      await page.check(`#mark-${firstId}-present`);
      await page.fill('#headcount-6_12-F', '2');
      await page.dispatchEvent('#headcount-6_12-F', 'change');
      await page.click('#roll-call-submit');
      await waitForText(page, '.roll-call [role=status]', /已儲存點名/);
      assert.ok(await page.isChecked(`#mark-${firstId}-present`));
      assert.equal(await page.inputValue('#headcount-6_12-F'), '2');
    });

    await step(page, 'one more place, edited on the group, goes to the client waiting', async () => {
      await page.goto(groupUrl);
      await page.click('#activity-edit');
      await page.waitForSelector('#activity-form');
      await page.fill('#activity-capacity', '2');
      await page.dispatchEvent('#activity-capacity', 'change');
      await page.click('#activity-submit');
      await waitForText(page, '#activity-places', /2 \/ 2/);
      assert.match(await page.textContent('#activity-waiting'), /0/);
    });

    await step(page, "the attendance shows on the client's case", async () => {
      const token = await apiToken('worker');
      const opened = await fetch(`${server.base}/api/cases`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
        body: JSON.stringify({ client_id: firstId, case_type: 'brief_supportive', referral_source: 'self' }),
      });
      assert.equal(opened.status, 201);
      const caseId = (await opened.json()).case.id;
      await page.goto(`${server.base}/cases/${caseId}`);
      const row = page.locator('.client-activities tbody tr', { hasText: '家長情緒支援小組' });
      await row.waitFor();
      assert.match(await row.textContent(), /1 \/ 1/);
      assert.match(await row.textContent(), /1: 出席/);
    });
    assert.deepEqual(pageErrors, []);
  } finally {
    await context.close();
  }
});

test('a worker administers a DASS-21 on a tablet, sees the scores as she answers, and the bands on the case', async () => {
  const context = await browser.newContext({ viewport: { width: 1024, height: 768 } });
  const page = await context.newPage();
  const pageErrors = [];
  page.on('pageerror', (error) => pageErrors.push(error.message));
  try {
    const name = await registerThroughApi('worker', '葉嘉欣', 'YIP Ka Yan');
    const token = await apiToken('worker');
    const opened = await fetch(`${server.base}/api/cases`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
      body: JSON.stringify({ client_id: registered.get(name), case_type: 'in_depth_counselling', referral_source: 'self' }),
    });
    assert.equal(opened.status, 201);
    const caseId = (await opened.json()).case.id;
    await step(page, 'sign in and open the case', async () => {
      await signIn(page, 'worker');
      await inChinese(page);
      await page.goto(`${server.base}/cases/${caseId}`);
      await page.click('.assess-link');
      await page.waitForSelector('#assessment-form');
    });

    await step(page, 'choose the person, DASS-21 and the stage', async () => {
      await page.selectOption('#assessment-client', registered.get(name));
      await page.selectOption('#assessment-instrument', 'dass21');
      await page.selectOption('#assessment-stage', 'pre');
      await page.waitForSelector('#item-21');
    });

    await step(page, 'answer by keyboard; the scores follow', async () => {
      // Depression items at 2 (severe once doubled), the rest at 0; item 21 left out.
      const depression = [3, 5, 10, 13, 16, 17];
      for (let item = 1; item <= 20; item += 1) {
        await page.focus(`#item-${item}-0`);
        await page.keyboard.press('Space');
        if (depression.includes(item)) {
          await page.keyboard.press('ArrowRight');
          await page.keyboard.press('ArrowRight');
        }
      }
      // Six of seven answered at 2: prorated to 14, doubled to 28, extremely severe.
      await waitForText(page, '#preview-depression', /28 · 非常嚴重/);
      await waitForText(page, '#preview-anxiety', /0 · 正常/);
      assert.match(await page.textContent('#preview-depression'), /按比例推算/);
    });

    await step(page, 'keep it and see the bands on the case', async () => {
      await page.click('#assessment-submit');
      const row = page.locator('.assessments tbody tr', { hasText: '抑鬱焦慮壓力量表' });
      await row.waitFor();
      assert.match(await row.textContent(), /抑鬱: 28 · 非常嚴重/);
      assert.match(await row.textContent(), /前測/);
      assert.match(page.url(), new RegExp(`/cases/${caseId}$`));
    });

    await step(page, 'under Assessments she finds it and the link not answered yet, and filters by instrument', async () => {
      const sent = await fetch(`${server.base}/api/assessment-links`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
        body: JSON.stringify({ client_id: registered.get(name), case_id: caseId, instrument: 'gad7', stage: 'mid' }),
      });
      assert.equal(sent.status, 201);
      await page.click('nav a[href="/assessments"]');
      const row = page.locator('#assessment-list tbody tr', { hasText: '葉嘉欣' });
      await row.waitFor();
      assert.match(await row.textContent(), /抑鬱: 28 · 非常嚴重/);
      assert.equal(await row.locator(`a[href="/cases/${caseId}"]`).count(), 1);
      const link = page.locator('#pending-links tbody tr', { hasText: '葉嘉欣' });
      await link.waitFor();
      assert.match(await link.textContent(), /GAD-7.*中期.*等待回覆/);
      await page.selectOption('#filter-instrument', 'phq9');
      await page.waitForURL(/instrument=phq9/);
      await row.waitFor({ state: 'detached' });
      await page.selectOption('#filter-instrument', 'dass21');
      await row.waitFor();
    });
    assert.deepEqual(pageErrors, []);
  } finally {
    await context.close();
  }
});

test('a family answers a PHQ-9 on a phone from a link, without signing in; the alert shows on the case and reaches the supervisor, who follows it up', async () => {
  const worker = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  const phone = await browser.newContext({ viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true });
  const page = await worker.newPage();
  const family = await phone.newPage();
  const pageErrors = [];
  for (const p of [page, family]) p.on('pageerror', (error) => pageErrors.push(error.message));
  try {
    const name = await registerThroughApi('worker', '簡慧兒', 'KAN Wai Yi');
    const token = await apiToken('worker');
    const opened = await fetch(`${server.base}/api/cases`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
      body: JSON.stringify({ client_id: registered.get(name), case_type: 'in_depth_counselling', referral_source: 'self' }),
    });
    assert.equal(opened.status, 201);
    const caseUrl = `${server.base}/cases/${(await opened.json()).case.id}`;
    let address;
    await step(page, 'the worker makes a link for a PHQ-9', async () => {
      await signIn(page, 'worker');
      await inChinese(page);
      await page.goto(caseUrl);
      await page.click('.send-link summary');
      await page.selectOption('#link-client', registered.get(name));
      await page.selectOption('#link-instrument', 'phq9');
      await page.selectOption('#link-stage', 'pre');
      await page.click('#link-submit');
      await page.waitForSelector('#link-qr path');
      address = await page.inputValue('#link-address');
      assert.match(address, /\/answer\/[A-Za-z0-9_-]{43}$/);
    });

    await step(family, 'the family answers on a phone, item 9 above 0', async () => {
      await family.goto(address);
      await family.waitForSelector('#answer-form');
      assert.equal(await family.locator('nav a[href="/clients"]').count(), 0, 'no signed-in navigation');
      assert.doesNotMatch(await family.textContent('main'), /簡慧兒|KAN Wai Yi/);
      for (let item = 1; item <= 9; item += 1) {
        await family.check(`#item-${item}-${item === 9 ? 1 : 0}`);
      }
      await family.click('#answer-submit');
      await family.waitForSelector('#answer-consent-error');
      await family.check('#answer-consent');
      await family.click('#answer-submit');
      await family.waitForSelector('#answer-thanks');
      await family.waitForSelector('#answer-support');
    });

    await step(family, 'the link cannot be used again', async () => {
      await family.goto(address);
      await family.waitForSelector('#answer-closed');
    });

    await step(page, "the alert shows on the worker's case", async () => {
      await page.goto(caseUrl);
      const row = page.locator('.assessments tbody tr', { hasText: 'PHQ-9' });
      await row.waitFor();
      assert.match(await row.textContent(), /家人自行填寫/);
      assert.match(await row.textContent(), /第 9 題/);
    });

    const supervisor = await browser.newContext({ viewport: { width: 1280, height: 900 } });
    const desk = await supervisor.newPage();
    desk.on('pageerror', (error) => pageErrors.push(error.message));
    try {
      await step(desk, "the alert reaches the supervisor's queue, who follows it up", async () => {
        await signIn(desk, 'supervisor');
        await inChinese(desk);
        const line = desk.locator('#alert-queue .alert-line', { hasText: '簡慧兒' });
        await line.waitFor();
        assert.match(await line.textContent(), /第 9 題/);
        await line.locator('button').click();
        await line.locator('.field-error').waitFor();
        await line.locator('input').fill('即日致電，已訂立安全計劃。');
        await line.locator('input').dispatchEvent('change');
        await line.locator('button').click();
        await line.waitFor({ state: 'detached' });
      });
    } finally {
      await supervisor.close();
    }
    assert.deepEqual(pageErrors, []);
  } finally {
    await worker.close();
    await phone.close();
  }
});

test("a supervisor reads this quarter's statistics, opens the cases behind a figure, and downloads the quarter's workbook", async () => {
  const context = await browser.newContext({ acceptDownloads: true, viewport: { width: 1280, height: 900 } });
  const page = await context.newPage();
  // A case opened today through the API: it is new in this quarter.
  const name = await registerThroughApi('worker', '統計測試', 'TUNG Kai Test');
  const token = await apiToken('worker');
  const opened = await fetch(`${server.base}/api/cases`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
    body: JSON.stringify({
      client_id: registered.get(name),
      case_type: 'brief_supportive',
      referral_source: 'self',
      nature_codes: ['financial'],
    }),
  });
  assert.equal(opened.status, 201);
  const caseNumber = (await opened.json()).case.case_number;
  const today = new Date(Date.now() + 8 * 3600 * 1000);
  const month = today.getUTCMonth() + 1;
  const quarter = month >= 4 ? Math.floor((month - 4) / 3) + 1 : 4;
  // A group whose first session began at midnight, and an enquiry taken then: both in
  // this quarter's figures.
  const day = today.toISOString().slice(0, 10);
  const me = await (await fetch(`${server.base}/api/me`, { headers: { authorization: `Bearer ${token}` } })).json();
  const group = await created(token, '/api/activities', {
    format: 'support_group', unit: 'family_support', title_zh: '統計抽查小組', title_en: 'Statistics spot-check group',
    theme_codes: ['parent_child'], target_group: 'parents', mode: 'face_to_face', capacity: 10,
    facilitators: [{ role: 'staff', user_id: me.id }], venue: 'Room 3', planned_start: day, planned_end: day,
  });
  await created(token, `/api/activities/${group.id}/sessions`, { starts_at: `${day}T00:00:00`, minutes: 60, weeks: 1 });
  await created(token, '/api/enquiries', {
    received_at: `${day}T00:00:00`, channel: 'phone', topic_codes: ['housing'],
    summary: '查詢統計抽查。', minutes_spent: 10, outcome: 'information_given',
  });
  await step(page, "the quarter's figures, and the cases behind one", async () => {
    await signIn(page, 'supervisor');
    await page.click('a[href="/reports"]');
    await page.waitForSelector('#statistics-cases');
    await page.focus('#statistics-period');
    await page.selectOption('#statistics-period', `q${quarter}`);
    await waitForText(page, '#statistics-period-label', new RegExp(`Q${quarter}|第.季`));
    const newCases = page.locator('#statistics-cases tbody tr').first().locator('td').nth(1);
    const shown = Number((await newCases.textContent()).trim());
    assert.ok(shown >= 1, `new cases this quarter: ${shown}`);
    await newCases.locator('button').press('Enter');
    await page.waitForSelector('#figure-case-table');
    await waitForText(page, '#figure-cases', new RegExp(caseNumber));
  });
  await step(page, 'the groups run open to the groups behind the figure, and the enquiries to the log', async () => {
    const groups = page.locator('#statistics-activities tbody tr', { hasText: /小組|Group/ }).locator('td').first().locator('button');
    await groups.press('Enter');
    await page.waitForSelector('#figure-activity-table');
    await waitForText(page, '#figure-activities', /統計抽查小組/);
    const row = page.locator('#figure-activity-table tbody tr', { hasText: '統計抽查小組' });
    assert.equal((await row.locator('td').nth(1).textContent()).trim(), '1', 'one session held');
    await page.locator('#statistics-enquiries a').click();
    await page.waitForURL(/\/enquiries\?/);
    const first = month >= 4 ? 4 + 3 * (quarter - 1) : 1;
    assert.equal(await page.inputValue('#filter-from'), `${day.slice(0, 4)}-${String(first).padStart(2, '0')}-01`);
    await page.waitForSelector('main table tbody tr');
    await page.goBack();
    await page.waitForSelector('#statistics-cases');
    // The measured clients' change opens to the period's outcomes by centre.
    await page.click('main a[href^="/outcomes?"]');
    await page.waitForSelector('#outcomes-prompt');
    assert.equal(await page.inputValue('#outcomes-by'), 'centre');
    await page.goBack();
    await page.waitForSelector('#statistics-cases');
  });
  await step(page, 'the workbook is prepared while the supervisor works elsewhere, then downloaded and opened', async () => {
    await page.click('#request-workbook');
    await page.click('a[href="/cases"]');
    await page.waitForSelector('#case-table, .page-head');
    await page.goBack();
    const download = page.locator('.download-workbook').first();
    await download.waitFor({ timeout: 60_000 });
    const [file] = await Promise.all([page.waitForEvent('download'), download.click()]);
    assert.match(file.suggestedFilename(), new RegExp(`statistics-\\d{4}-\\d{2}-Q${quarter}-HFS-SSP\\.xlsx`));
    const workbook = new ExcelJS.Workbook();
    await workbook.xlsx.readFile(await file.path());
    const names = workbook.worksheets.map((sheet) => sheet.name);
    assert.equal(names[0], '摘要 Summary');
    assert.equal(names.at(-1), '定義 Definitions');
    const summary = workbook.getWorksheet('摘要 Summary');
    assert.equal(summary.getCell('C4').value, '新個案\nNew');
    assert.ok(summary.getCell('C5').value >= 1, 'new cases in the workbook');
    assert.equal(summary.pageSetup.orientation, 'landscape');
    assert.equal(summary.pageSetup.fitToWidth, 1);
    assert.ok(workbook.getWorksheet('定義 Definitions').rowCount > 15, 'every figure is defined');
    // LibreOffice opens it too: every sheet converts, and the summary reads the same.
    const out = mkdtempSync(join(tmpdir(), 'familylink-lo-'));
    const copy = join(out, 'statistics.xlsx');
    copyFileSync(await file.path(), copy);
    execFileSync('soffice', [
      `-env:UserInstallation=file://${join(out, 'profile')}`, '--headless', '--norestore',
      '--convert-to', 'csv:Text - txt - csv (StarCalc):44,34,76,1,,0,false,true,false,false,false,-1',
      '--outdir', out, copy,
    ], { timeout: 120_000, stdio: 'pipe' });
    const sheets = readdirSync(out).filter((name) => name.endsWith('.csv'));
    assert.equal(sheets.length, names.length, `LibreOffice read every sheet: ${sheets}`);
    const summaryCsv = readFileSync(join(out, 'statistics-摘要 Summary.csv'), 'utf8');
    const allCases = summaryCsv.split('\n').find((line) => line.startsWith('全部個案 All cases'));
    assert.equal(allCases.split(',')[2], String(summary.getCell('C5').value));
    rmSync(out, { recursive: true, force: true });
  });
  await context.close();
});

test('a supervisor opens the dashboards, filters them to a district from a chart and on the map, reads who the clients are and which natures come together, and saves charts as PNG and CSV; once an admin loads district population, the profile reads per 10,000', async () => {
  const context = await browser.newContext({ acceptDownloads: true, viewport: { width: 1280, height: 900 } });
  const page = await context.newPage();
  const pageErrors = [];
  page.on('pageerror', (error) => pageErrors.push(error));
  // Three families of the supervisor's centre, two in Sham Shui Po (F) with natures that
  // come together, one in Tsuen Wan (K).
  const token = await apiToken('worker');
  for (const [nameZh, nameEn, district, natures] of [
    ['儀表甲', 'YI Piu Kap', 'F', ['financial', 'housing']],
    ['儀表乙', 'YI Piu Yuet', 'F', ['financial', 'housing', 'parent_child']],
    ['儀表丙', 'YI Piu Ping', 'K', ['financial']],
  ]) {
    const client = await created(token, '/api/clients', {
      name_zh: nameZh, name_en: nameEn, sex: 'F', date_of_birth: '1982-03-03', district,
    });
    await created(token, '/api/cases', {
      client_id: client.id, case_type: 'brief_supportive', referral_source: 'self', nature_codes: natures,
    });
  }
  const count = async () => Number((await page.textContent('#das-cases')).trim());
  await step(page, 'the family problems of the centre', async () => {
    await signIn(page, 'supervisor');
    await page.click('a[href="/das"]');
    await page.waitForSelector('#das-cases-by-district .main-svg', { timeout: 20000 });
    assert.ok((await count()) >= 3, `cases served: ${await count()}`);
    for (const id of ['natures-by-district', 'cases-by-breakdown', 'natures-by-breakdown', 'new-by-month']) {
      await page.waitForSelector(`#das-${id} .main-svg`);
    }
  });
  await step(page, "one worker's cases, drilled down from the centre's breakdown by worker, and back", async () => {
    const before = await count();
    await page.locator('#das-cases-by-breakdown-figure thead').getByRole('button', { name: /Chan Mei Ling/ }).click();
    await page.waitForURL(/worker_id=/);
    await page.waitForFunction((all) => {
      const shown = Number(document.querySelector('#das-cases')?.textContent.trim());
      return shown >= 3 && shown <= all;
    }, before);
    await page.click('#das-widen');
    await page.waitForURL((url) => !url.search.includes('worker_id'));
    await waitForText(page, '#das-cases', new RegExp(`^${before}$`));
  });
  await step(page, 'a click on Tsuen Wan in the chart filters every chart to it, in the address', async () => {
    const before = await count();
    // District K is the tenth column: the bar of the one case there.
    await clickPlotPoint(page, '#das-cases-by-district', page.locator('#das-cases-by-district .bars .point').nth(9));
    await page.waitForURL(/district=K/);
    await waitForText(page, '#das-cases', /^1$/);
    assert.ok(before > 1);
    assert.equal(await page.inputValue('#das-district'), 'K');
    // The other figures follow: the only nature left is the one case's.
    const natures = page.locator('#das-natures-by-district-figure tbody tr', { hasText: /Financial|經濟/ });
    await waitForText(page, '#das-natures-by-district-figure tbody', /1/);
    assert.equal((await natures.locator('td').last().textContent()).trim(), '1');
    // A bookmark opens the same view.
    await page.reload();
    await waitForText(page, '#das-cases', /^1$/);
  });
  await step(page, 'the map colours the districts by a measure; a click on Sham Shui Po filters the page to it', async () => {
    const map = page.locator('#das-map');
    await map.scrollIntoViewIfNeeded();
    const tsuenWan = map.locator('path[data-district="K"]');
    const shamShuiPo = map.locator('path[data-district="F"]');
    // Filtered to Tsuen Wan, only it has cases: the other districts are white.
    assert.notEqual(await tsuenWan.getAttribute('fill'), '#ffffff');
    assert.equal(await shamShuiPo.getAttribute('fill'), '#ffffff');
    await page.selectOption('#das-map-measure', 'natures_by_district:financial');
    assert.match(await page.textContent('#das-map-figure caption'), /Financial|經濟/);
    await shamShuiPo.hover();
    await waitForText(page, '.map-reading', /(Sham Shui Po|深水埗區): 0/);
    await shamShuiPo.click();
    await page.waitForURL(/district=F/);
    await waitForText(page, '#das-cases', /^([2-9]|\d\d+)$/);
    assert.equal(await page.inputValue('#das-district'), 'F');
    await page.waitForFunction(() => document.querySelector('#das-map path[data-district="K"]').getAttribute('fill') === '#ffffff');
    // By keyboard: a district is reached with Tab and picked with Enter.
    await map.locator('path[data-district="J"]').focus();
    await waitForText(page, '.map-reading', /(Kwun Tong|觀塘區)/);
    await page.keyboard.press('Enter');
    await page.waitForURL(/district=J/);
    await page.goBack();
    await page.waitForURL(/district=F/);
    const [png] = await Promise.all([
      page.waitForEvent('download'),
      page.locator('#das-map-figure').getByRole('button', { name: /PNG/ }).click(),
    ]);
    const image = readFileSync(await png.path());
    assert.deepEqual([...image.subarray(1, 4)], [0x50, 0x4e, 0x47], 'a PNG file');
  });
  await step(page, 'who the service users are: the age and sex of the clients, filtered by an age band', async () => {
    await page.click('.tabs a[href^="/das/profile"]');
    await page.waitForSelector('#das-age-sex .main-svg', { timeout: 20000 });
    assert.match(page.url(), /district=F/);
    // The journey's two women in Sham Shui Po were born in 1982.
    const women = page.locator('#das-age-sex-figure tbody tr').first();
    assert.match(await women.locator('th').textContent(), /Female|女/);
    const band = (await page.locator('#das-age-sex-figure thead th').allTextContents()).findIndex((h) => h.trim() === '35-44');
    assert.ok(Number(await women.locator('th, td').nth(band).textContent()) >= 2);
    await page.locator('#das-age-sex-figure thead').getByRole('button', { name: '35-44' }).click();
    await page.waitForURL(/age_band=35-44/);
    assert.equal(await page.inputValue('#das-age'), '35-44');
    await page.waitForSelector('#das-persons-by-ethnicity-figure tbody tr');
    await page.selectOption('#das-age', '');
    await page.waitForURL((url) => !url.search.includes('age_band'));
  });
  await step(page, 'the co-occurrence of natures, by the measure chosen', async () => {
    await page.click('.tabs a[href^="/das/complexity"]');
    await page.waitForSelector('#das-co-occurrence .main-svg', { timeout: 20000 });
    assert.match(page.url(), /district=F/);
    await waitForText(page, '#das-complex', /1/);
    await page.focus('#das-measure');
    await page.selectOption('#das-measure', 'cases');
    // Other journeys' cases in Sham Shui Po count too: at least this journey's two
    // have housing and financial problems together.
    await page.waitForFunction(() => {
      const table = document.querySelector('#das-co-occurrence-figure table');
      if (!table) return false;
      const heads = [...table.querySelectorAll('thead th')].map((th) => th.textContent);
      const financial = heads.findIndex((h) => /Financial|經濟/.test(h));
      const row = [...table.querySelectorAll('tbody tr')]
        .find((tr) => /Housing|住屋/.test(tr.querySelector('th').textContent));
      return financial > 0 && row && Number(row.children[financial].textContent.trim()) >= 2;
    });
    await page.waitForSelector('#das-combinations tbody tr');
  });
  await step(page, 'the natures as a network linked by lift, a nature clicked to filter the page', async () => {
    await page.waitForSelector('#das-network .main-svg');
    const rows = await page.locator('#das-co-occurrence-figure tbody tr th').allTextContents();
    const nodes = page.locator('#das-network .scatterlayer .trace').last().locator('.point');
    assert.equal(await nodes.count(), rows.length, 'a point for each nature');
    const financial = rows.findIndex((h) => /Financial|經濟/.test(h));
    await clickPlotPoint(page, '#das-network', nodes.nth(financial));
    await page.waitForURL(/nature=financial/);
    await page.goBack();
    await page.waitForURL((url) => !url.search.includes('nature='));
  });
  await step(page, 'a chart saved as PNG and as CSV', async () => {
    const figure = page.locator('#das-natures-per-case-figure');
    const [png] = await Promise.all([
      page.waitForEvent('download'),
      figure.getByRole('button', { name: /PNG/ }).click(),
    ]);
    assert.match(png.suggestedFilename(), /\.png$/);
    const image = readFileSync(await png.path());
    assert.deepEqual([...image.subarray(1, 4)], [0x50, 0x4e, 0x47], 'a PNG file');
    const [csv] = await Promise.all([
      page.waitForEvent('download'),
      figure.getByRole('button', { name: /CSV/ }).click(),
    ]);
    assert.equal(csv.suggestedFilename(), 'natures_per_case.csv');
    const text = readFileSync(await csv.path(), 'utf8');
    assert.match(text, /4\+/);
    assert.equal(text.trim().split('\n').length, 2, 'a header and the line of cases');
  });
  await step(page, 'the risk and protective factors of an outcome', async () => {
    await page.click('.tabs a[href^="/das/risk-factors/"]');
    await page.waitForSelector('#das-outcome');
    await page.selectOption('#das-outcome', 'financial');
    await page.waitForURL(/\/das\/risk-factors\/financial\?.*district=F/);
    await waitForText(page, '#das-risk-summary', /\d/);
    // Every case of the view has the outcome here: the page says plainly why no model was fitted.
    await page.waitForSelector('#das-risk-figure [role="alert"], #das-risk-table tbody tr');
    await page.selectOption('#das-ratio', 'odds');
    await page.waitForSelector('#das-risk-table');
  });
  await step(page, 'a platform admin loads district population; the profile then reads per 10,000 residents', async () => {
    const adminContext = await browser.newContext({ viewport: { width: 1280, height: 900 } });
    const admin = await adminContext.newPage();
    await signIn(admin, 'admin');
    await admin.goto(`${server.base}/admin`);
    await admin.waitForSelector('#population-none, #population-loaded');
    const dir = mkdtempSync(join(tmpdir(), 'familylink-population-'));
    const header = 'district,age_band,sex,population';
    writeFileSync(join(dir, 'wrong.csv'), `${header}\nF,35-44,F,12000\nZ,35-44,F,10\n`);
    const bands = ['0-5', '6-12', '13-17', '18-24', '25-34', '35-44', '45-54', '55-64', '65-74', '75+'];
    const lines = [...'ABCDEFGHJKLMNPQRST'].flatMap((d) => bands.flatMap((b) => ['F', 'M'].map((s) => `${d},${b},${s},5000`)));
    writeFileSync(join(dir, 'population.csv'), `${header}\n${lines.join('\n')}\n`);
    await admin.fill('#population-source', 'Synthetic figures for the journey');
    await admin.setInputFiles('#population-file', join(dir, 'wrong.csv'));
    await waitForText(admin, '#population-read', /3/);
    await admin.click('#population-form button[type="submit"]');
    await waitForText(admin, '#population-errors', /(Line 3, district|第 3 行，地區)/);
    await admin.setInputFiles('#population-file', join(dir, 'population.csv'));
    await waitForText(admin, '#population-read', /361/);
    await admin.focus('#population-form button[type="submit"]');
    await admin.keyboard.press('Enter');
    await admin.waitForSelector('#population-saved');
    await waitForText(admin, '#population-loaded', /Synthetic figures for the journey/);
    await adminContext.close();
    rmSync(dir, { recursive: true, force: true });
    await page.click('.tabs a[href^="/das/profile"]');
    await page.waitForSelector('#das-persons-by-district-figure tr.rate');
    await page.selectOption('#das-map-measure', 'persons_by_district:persons:per_10000');
    await waitForText(page, '#das-map-figure caption', /per 10,000|每萬名居民/);
  });
  assert.deepEqual(pageErrors, []);
  await context.close();
});

test("a supervisor reads her centre's needs ahead in the Islands: three years of new cases, the next six months forecast with their intervals, and how the method did on the months held out", async () => {
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  const page = await context.newPage();
  const pageErrors = [];
  page.on('pageerror', (error) => pageErrors.push(error.message));
  // A case opened in each of the last 36 whole months in the Islands (T), two in December.
  const token = await apiToken('worker');
  const now = new Date();
  const pad = (n) => String(n).padStart(2, '0');
  for (let back = 36; back >= 1; back--) {
    const month = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() - back, 10));
    const times = month.getUTCMonth() === 11 ? 2 : 1;
    for (let i = 0; i < times; i++) {
      const client = await created(token, '/api/clients', {
        name_zh: `離島${back}${i}`, name_en: `LEI To ${back} ${i}`, sex: 'M', date_of_birth: '1975-05-05', district: 'T',
      });
      await created(token, '/api/cases', {
        client_id: client.id, case_type: 'brief_supportive', referral_source: 'self',
        effective_on: `${month.getUTCFullYear()}-${pad(month.getUTCMonth() + 1)}-10`,
      });
    }
  }
  try {
    await step(page, 'the forecast of the Islands, with its accuracy and a table of the months', async () => {
      await signIn(page, 'supervisor');
      await inChinese(page);
      await page.goto(`${server.base}/das/forecast?district=T`);
      await page.waitForSelector('#das-forecast .main-svg', { timeout: 20000 });
      assert.match(await page.textContent('#das-forecast-accuracy'), /以最後6個月測試/);
      assert.equal(await page.locator('#das-forecast-short').count(), 0);
      const rows = page.locator('#das-forecast-figure tbody tr');
      assert.ok((await rows.count()) >= 36 + 6, 'the history and six months ahead');
      // The latest first: six months forecast, each with its interval.
      for (let i = 0; i < 6; i++) {
        const cells = (await rows.nth(i).locator('td').allTextContents()).map((c) => c.trim());
        const [expected, low, high] = [cells[1], cells[2], cells[3]].map(Number);
        assert.equal(cells[0], '', 'no count for a month to come');
        assert.ok(low <= expected && expected <= high, cells.join(' '));
      }
    });
    await step(page, 'a view with too little history says so', async () => {
      await page.selectOption('#das-district', 'S');
      await page.waitForURL(/district=S/);
      await waitForText(page, '#das-forecast-short', /30個月/);
    });
    assert.deepEqual(pageErrors, []);
  } finally {
    await context.close();
  }
});

test('a worker records a child protection concern about a child on her case and the report made; the supervisor sees who reported it', async () => {
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  const page = await context.newPage();
  const token = await apiToken('worker');
  const post = (path, body) => created(token, path, body);
  const mother = await post('/api/clients', { name_zh: '何淑芬', name_en: 'HO Shuk Fan', sex: 'F', date_of_birth: '1988-02-02', district: 'F' });
  const son = await post('/api/clients', { name_zh: '何子朗', name_en: 'HO Tsz Long', sex: 'M', date_of_birth: '2017-06-06', district: 'F' });
  const opened = await post('/api/cases', {
    client_id: mother.id, case_type: 'in_depth_counselling', referral_source: 'school_social_worker',
    nature_codes: ['parent_child'], member_ids: [son.id],
  });
  await step(page, 'the concern and the report, by keyboard', async () => {
    await signIn(page, 'worker');
    await page.goto(`${server.base}/cases/${opened.case.id}`);
    await page.waitForSelector('#concern-child');
    await page.selectOption('#concern-child', son.id);
    await page.check('#harm-physical');
    await page.focus('#level-real_risk');
    await page.keyboard.press('Space');
    await page.fill('#concern-grounds', '學校社工轉介：子朗手臂多處瘀傷，解釋前後不一。');
    await page.press('#concern-grounds', 'Tab');
    await page.click('#child-protection button[type=submit].primary');
    await page.waitForSelector('.decision-form');
    const form = page.locator('.decision-form');
    await form.locator('input[type=radio]').first().check();
    await form.locator('textarea').fill('有合理懷疑兒童面對嚴重傷害的實際風險。');
    await form.locator('textarea').press('Tab');
    await form.locator('select').selectOption('swd');
    await form.locator('input[type=datetime-local]').fill('2026-11-30T10:30');
    await form.locator('input[type=text]').fill('FCPSU-2026-0456');
    await form.locator('input[type=text]').press('Tab');
    await form.locator('button[type=submit]').click();
    await waitForText(page, '#child-protection .decision', /FCPSU-2026-0456/);
    await waitForText(page, '#child-protection', /陳美玲|Chan Mei Ling/);
  });
  await step(page, 'the supervisor sees who reported; nothing waits for a decision', async () => {
    const other = await context.newPage();
    await signIn(other, 'supervisor');
    assert.equal(await other.locator('#protection-queue').count(), 0);
    await other.goto(`${server.base}/cases/${opened.case.id}`);
    await waitForText(other, '#child-protection', /FCPSU-2026-0456/);
    await waitForText(other, '#child-protection', /陳美玲|Chan Mei Ling/);
  });
  await context.close();
});

test("a case reaches the risk threshold: the worker sees why on the case and her home; the supervisor dismisses the flag by keyboard with a reason", async () => {
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  const page = await context.newPage();
  const pageErrors = [];
  page.on('pageerror', (error) => pageErrors.push(error.message));
  const token = await apiToken('worker');
  const post = (path, body) => created(token, path, body);
  const client = await post('/api/clients', { name_zh: '邱月娥', name_en: 'YAU Yuet Ngo', sex: 'F', date_of_birth: '1983-09-09', district: 'F' });
  const opened = await post('/api/cases', {
    client_id: client.id, case_type: 'in_depth_counselling', referral_source: 'self',
    nature_codes: ['spouse_battering'],
  });
  const answers = Object.fromEntries(Array.from({ length: 9 }, (_, i) => [String(i + 1), i === 8 ? 0 : 3]));
  await post('/api/assessments', { client_id: client.id, case_id: opened.case.id, instrument: 'phq9', stage: 'pre', answers });
  const caseUrl = `${server.base}/cases/${opened.case.id}`;
  const caseNumber = opened.case.case_number;
  try {
    await step(page, 'the worker sees the flag, its factors and how it is reckoned on the case', async () => {
      await signIn(page, 'worker');
      await inChinese(page);
      await page.goto(caseUrl);
      await waitForText(page, '#risk-reading', /已達門檻/);
      const risk = await page.textContent('#risk');
      assert.match(risk, /並非社會福利署的評分/);
      assert.match(risk, /虐待配偶/);
      assert.match(risk, /邱月娥/);
      await page.click('#risk details summary');
      await page.waitForSelector('#risk-weights');
      assert.match(await page.textContent('#risk-weights'), /評估警示/);
    });
    await step(page, "the flag is on the worker's home, to read", async () => {
      await page.goto(`${server.base}/`);
      const line = page.locator('#risk-queue li', { hasText: caseNumber });
      await line.waitFor();
      assert.equal(await line.locator('form').count(), 0, 'a worker does not review');
    });
    await step(page, 'the supervisor dismisses it by keyboard, saying why', async () => {
      await page.click('#logout');
      await page.waitForSelector('#username');
      await signIn(page, 'supervisor');
      await inChinese(page);
      const line = page.locator('#risk-queue li', { hasText: caseNumber });
      await line.waitFor();
      assert.match(await line.textContent(), /邱月娥/);
      const dismiss = line.locator('input[type=radio][value=dismiss]');
      await dismiss.focus();
      await page.keyboard.press('Space');
      await line.locator('button[type=submit]').click();
      await line.locator('.field-error').waitFor();
      const reason = line.locator('select');
      await reason.selectOption('known_and_managed');
      await line.locator('textarea').fill('已與案主訂立安全計劃，每週跟進。');
      await line.locator('textarea').press('Tab');
      await line.locator('button[type=submit]').click();
      await line.waitFor({ state: 'detached' });
    });
    await step(page, 'the case keeps the dismissal and its reason', async () => {
      await page.goto(caseUrl);
      await waitForText(page, '#risk', /風險已知並已在計劃中處理/);
      await waitForText(page, '#risk', /梁志明/);
    });
    assert.deepEqual(pageErrors, []);
  } finally {
    await context.close();
  }
});

test("a worker's note tells of violence on a case of financial difficulty: the note shows its themes and the words behind them, and the supervisor finds the case on her home and counts it among her centre's themes", async () => {
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  const page = await context.newPage();
  const pageErrors = [];
  page.on('pageerror', (error) => pageErrors.push(error.message));
  const token = await apiToken('worker');
  const post = (path, body) => created(token, path, body);
  const client = await post('/api/clients', { name_zh: '溫翠玲', name_en: 'WAN Chui Ling', sex: 'F', date_of_birth: '1986-04-04', district: 'F' });
  const opened = await post('/api/cases', {
    client_id: client.id, case_type: 'brief_supportive', referral_source: 'self',
    nature_codes: ['financial'],
  });
  const caseUrl = `${server.base}/cases/${opened.case.id}`;
  try {
    await step(page, 'the worker writes the note and reads its themes with their words', async () => {
      await signIn(page, 'worker');
      await inChinese(page);
      await page.goto(caseUrl);
      await page.waitForSelector('#new-note');
      await page.fill('#note-contact_at', '2026-11-20T15:00');
      await page.dispatchEvent('#note-contact_at', 'change');
      await page.selectOption('#note-contact_type', 'phone');
      await page.fill('#note-duration', '20');
      await page.dispatchEvent('#note-duration', 'change');
      await page.fill('#note-narrative', '溫翠玲來電表示丈夫昨晚打她，已協助申請綜援。');
      await page.dispatchEvent('#note-narrative', 'change');
      await page.click('#new-note button[type=submit]');
      await waitForText(page, '#case-notes .note-themes', /暴力/);
      const themes = await page.textContent('#case-notes .note-themes');
      assert.match(themes, /並非個案性質/);
      assert.match(themes, /暴力（字詞：打她）/);
      assert.match(themes, /經濟困難（字詞：申請綜援）/);
      assert.match(themes, /虐待配偶/);
    });
    await step(page, "the supervisor finds the case on her home and opens it", async () => {
      await page.click('#logout');
      await page.waitForSelector('#username');
      await signIn(page, 'supervisor');
      await inChinese(page);
      const line = page.locator('#risk-cues li', { hasText: '溫翠玲' });
      await line.waitFor();
      const text = await line.textContent();
      assert.match(text, /紀錄提及暴力：「打她」/);
      assert.match(text, /現時性質：經濟困難/);
      await line.locator('a').click();
      await page.waitForSelector('#case-summary');
      assert.equal(page.url(), caseUrl);
    });
    await step(page, "the supervisor reads her centre's themes beside the natures, and filters to the case's nature", async () => {
      await page.click('a[href="/das"]');
      await page.click('.tabs a[href^="/das/themes"]');
      await page.waitForSelector('#das-themes-by-nature .main-svg', { timeout: 20000 });
      assert.match(await page.textContent('.das .note'), /並非社工設定的個案性質/);
      const figure = page.locator('#das-themes-by-nature-figure');
      const column = (await figure.locator('thead th').allTextContents()).findIndex((h) => h.trim() === '經濟困難');
      assert.ok(column > 0, 'a column for financial difficulty');
      const violence = figure.locator('tbody tr', { has: page.locator('th', { hasText: /^暴力$/ }) });
      assert.ok(Number(await violence.locator('td').nth(column - 1).textContent()) >= 1, 'the note counts under violence beside financial difficulty');
      await figure.locator('thead').getByRole('button', { name: '經濟困難' }).click();
      await page.waitForURL(/nature=financial/);
      await page.waitForSelector('#das-themes-by-month .main-svg');
      assert.equal(await page.locator('#corpus').count(), 0, 'only an analyst takes the corpus');
    });
    await step(page, 'the analyst takes the month\'s notes for research with the client\'s name replaced', async () => {
      await page.click('#logout');
      await page.waitForSelector('#username');
      await signIn(page, 'analyst');
      await inChinese(page);
      await page.goto(`${server.base}/das/themes`);
      await page.waitForSelector('#corpus form');
      await page.fill('#corpus-from', '2026-11-01');
      await page.dispatchEvent('#corpus-from', 'change');
      await page.fill('#corpus-until', '2027-12-31');
      await page.dispatchEvent('#corpus-until', 'change');
      await page.click('#corpus button[type=submit]');
      await waitForText(page, '#corpus-until-error', /一年/);
      await page.fill('#corpus-until', '2026-11-30');
      await page.dispatchEvent('#corpus-until', 'change');
      const [file] = await Promise.all([
        page.waitForEvent('download'),
        page.click('#corpus button[type=submit]'),
      ]);
      const corpus = readFileSync(await file.path(), 'utf8');
      assert.match(corpus, /\[NAME\]來電表示丈夫昨晚打她，已協助申請綜援。/);
      assert.doesNotMatch(corpus, /溫翠玲/);
      await waitForText(page, '#corpus-taken', /篇紀錄/);
    });
    assert.deepEqual(pageErrors, []);
  } finally {
    await context.close();
  }
});

test("a worker compares her clients' PHQ-9 before and after service and follows one client's scores over time; the supervisor reads the centre's service effectiveness in DAS", async () => {
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  const page = await context.newPage();
  const pageErrors = [];
  page.on('pageerror', (error) => pageErrors.push(error.message));
  const token = await apiToken('worker');
  const post = (path, body) => created(token, path, body);
  const client = await post('/api/clients', { name_zh: '岑嘉欣', name_en: 'SHUM Ka Yan', sex: 'F', date_of_birth: '1990-04-04', district: 'F' });
  const opened = await post('/api/cases', { client_id: client.id, case_type: 'in_depth_counselling', referral_source: 'self' });
  const phq9 = (each) => Object.fromEntries(Array.from({ length: 9 }, (_, i) => [String(i + 1), each]));
  for (const [stage, on, each] of [['pre', '2026-10-01', 2], ['post', '2026-11-15', 1]]) {
    await post('/api/assessments', { client_id: client.id, case_id: opened.case.id, instrument: 'phq9', stage, administered_on: on, answers: phq9(each) });
  }
  try {
    await step(page, 'the outcomes of her clients on PHQ-9, by client', async () => {
      await signIn(page, 'worker');
      await inChinese(page);
      await page.click('nav a[href="/outcomes"]');
      await page.waitForSelector('#outcomes-prompt');
      await page.selectOption('#outcomes-instrument', 'phq9');
      await page.selectOption('#outcomes-by', 'client');
      await page.click('#outcomes-show');
      const row = page.locator('#outcomes-table-total tbody tr', { hasText: '岑嘉欣' });
      await row.waitFor();
      // 18 before, 9 after: a change of -9, from moderately severe to mild, so improved.
      const cells = await row.locator('td').allTextContents();
      assert.deepEqual(cells.slice(0, 4), ['1', '18.00', '9.00', '-9.00']);
      assert.equal(cells[6], '1');
      await page.waitForSelector('#outcomes-chart-total .main-svg');
      assert.match(page.url(), /instrument=phq9/);
    });
    await step(page, "the client's scores over time", async () => {
      await page.goto(`${server.base}/clients/${client.id}`);
      await page.waitForSelector('#score-chart-phq9 .main-svg');
      await page.click('#score-trends details summary');
      assert.match(await page.textContent('#score-table-phq9'), /2026-11-15/);
    });
    assert.deepEqual(pageErrors, []);
  } finally {
    await context.close();
  }
  const agency = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  const admin = await agency.newPage();
  try {
    await step(admin, "the agency admin compares the agency's centres, reading no client", async () => {
      await signIn(admin, 'agency-admin');
      await admin.click('nav a[href="/outcomes"]');
      await admin.waitForSelector('#outcomes-prompt');
      const offered = await admin.locator('#outcomes-by option').evaluateAll((options) => options.map((o) => o.value));
      assert.deepEqual(offered, ['centre']);
      await admin.selectOption('#outcomes-instrument', 'phq9');
      await admin.click('#outcomes-show');
      const row = admin.locator('#outcomes-table-total tbody tr', { hasText: /深水埗|Sham Shui Po/ });
      await row.waitFor();
      assert.ok(Number((await row.locator('td').first().textContent()).trim()) >= 1, 'pairs at the centre');
      assert.match(admin.url(), /by=centre/);
    });
  } finally {
    await agency.close();
  }
  const centre = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  const supervisor = await centre.newPage();
  try {
    await step(supervisor, "the supervisor reads the centre's service effectiveness in DAS, then another scale", async () => {
      await signIn(supervisor, 'supervisor');
      await supervisor.goto(`${server.base}/das/effectiveness/phq9/total?from=2026-04-01&until=2027-03-31`);
      await supervisor.waitForSelector('#das-change-by-model .main-svg', { timeout: 20000 });
      const figure = supervisor.locator('#das-change-by-model-figure');
      const heads = await figure.locator('thead th').allTextContents();
      const casework = heads.findIndex((h) => /Casework|個案工作/.test(h));
      assert.ok(casework > 0, `a casework column among ${heads}`);
      const totals = await figure.locator('tfoot tr').first().locator('td').allTextContents();
      assert.ok(Number(totals[casework - 1]) >= 1, 'pairs within casework');
      // Beneath the counts: the means before and after, the change and the effect size.
      assert.equal(await figure.locator('tfoot tr.rate').count(), 4);
      assert.ok(Number((await supervisor.textContent('#das-effect-pairs')).trim()) >= 1);
      await supervisor.waitForSelector('#das-completion-by-centre .main-svg');
      await supervisor.selectOption('#das-measure', 'dass21/stress');
      await supervisor.waitForURL(/\/das\/effectiveness\/dass21\/stress\?.*from=2026-04-01/);
      await waitForText(supervisor, '#das-effect-pairs', /^0$/);
    });
  } finally {
    await centre.close();
  }
});

test("an agency admin adds the agency's own instrument from a copy of GAD-7, tries it, and a worker administers it on a case", async () => {
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  const page = await context.newPage();
  const pageErrors = [];
  page.on('pageerror', (error) => pageErrors.push(error.message));
  page.on('console', (message) => /Content Security Policy/i.test(message.text()) && pageErrors.push(message.text()));
  const coping = {
    code: 'hfs_coping',
    version: 1,
    name_zh: '家庭壓力應對量表',
    name_en: 'Family Coping Check',
    instructions_zh: '在過去一個月，以下情況有多經常出現？',
    instructions_en: 'Over the last month, how often has each of these happened?',
    licence: 'Written by the agency for its own practice; not a validated instrument.',
    options: [
      { value: 0, label_zh: '從不', label_en: 'Never' },
      { value: 1, label_zh: '有時', label_en: 'Sometimes' },
      { value: 2, label_zh: '經常', label_en: 'Often' },
    ],
    items: [
      { number: 1, text_zh: '家中的壓力令我難以入睡', text_en: 'Stress at home kept me awake' },
      { number: 2, text_zh: '我覺得應付不了家庭責任', text_en: 'I felt unable to cope with my family duties' },
      { number: 3, text_zh: '家人之間爭吵', text_en: 'The family argued' },
    ],
    scales: [
      {
        code: 'total',
        name_zh: '總分',
        name_en: 'Total',
        items: [1, 2, 3],
        method: 'sum',
        bands: [
          { min: 0, code: 'coping', name_zh: '應付得宜', name_en: 'Coping', severity: 0 },
          { min: 4, code: 'strained', name_zh: '壓力偏高', name_en: 'Strained', severity: 2 },
        ],
      },
    ],
  };
  const definition = () => page.inputValue('#instrument-definition');
  try {
    await step(page, 'instruments: the list from the navigation', async () => {
      await signIn(page, 'agency-admin');
      await inChinese(page);
      await page.click('nav a[href="/instruments"]');
      await page.waitForSelector('#instrument-row-gad7');
      assert.match(await page.textContent('#instrument-row-gad7'), /廣泛性焦慮症量表.*gad7.*1.*7.*內置/);
      // Every control is reached by Tab, in order.
      await page.focus('#instrument-copy');
      for (const next of ['instrument-file', 'instrument-definition']) {
        await page.keyboard.press('Tab');
        assert.equal(await page.evaluate(() => document.activeElement?.id), next);
      }
    });

    await step(page, 'instruments: start from a copy of GAD-7, which is not added under its own code', async () => {
      await page.selectOption('#instrument-copy', 'gad7');
      await page.waitForFunction(() => document.querySelector('#instrument-definition')?.value.includes('"code": "gad7"'));
      assert.match(await definition(), /\n {2}"version": 1,\n/);
      await waitForText(page, '#instrument-preview', /Generalized Anxiety Disorder scale \(GAD-7\)/);
      assert.match(await page.textContent('#instrument-preview'), /廣泛性焦慮症量表/);
      await page.click('#instrument-add');
      await waitForText(page, '#instrument-definition-error', /code: FamilyLink 已有內置工具使用此代碼/);
      assert.equal(await page.getAttribute('#instrument-definition', 'aria-invalid'), 'true');
    });

    await step(page, 'instruments: a broken definition uploaded names its problem', async () => {
      const broken = { ...coping, items: coping.items.map((item, i) => (i === 0 ? { ...item, text_en: '' } : item)) };
      await page.setInputFiles('#instrument-file', {
        name: 'hfs_coping.json',
        mimeType: 'application/json',
        buffer: Buffer.from(JSON.stringify(broken, null, 2)),
      });
      await waitForText(page, '#instrument-problems', /items\.0\.text_en: /);
      assert.match(await definition(), /"code": "hfs_coping"/);
      assert.equal(await page.locator('#instrument-definition-error').count(), 0, 'the refusal was of the copy');
      assert.equal(await page.locator('#instrument-preview').count(), 0);
      assert.ok(await page.isDisabled('#instrument-add'));
    });

    await step(page, 'instruments: the definition of our own, tried out', async () => {
      await page.fill('#instrument-definition', JSON.stringify(coping, null, 2));
      await waitForText(page, '#instrument-preview', /家庭壓力應對量表/);
      assert.equal(await page.locator('#instrument-problems').count(), 0);
      assert.match(await page.textContent('#instrument-preview'), /Family Coping Check/);
      assert.match(await page.textContent('#instrument-preview'), /not a validated instrument/);
      // Answered by keyboard: 2, 1 and 1 make 4, the higher band.
      for (const [item, steps] of [[1, 2], [2, 1], [3, 1]]) {
        await page.focus(`#item-${item}-0`);
        await page.keyboard.press('Space');
        for (let i = 0; i < steps; i += 1) await page.keyboard.press('ArrowRight');
      }
      await waitForText(page, '#preview-total', /4 · 壓力偏高/);
    });

    await step(page, 'instruments: added to the agency', async () => {
      await page.focus('#instrument-add');
      await page.keyboard.press('Enter');
      await waitForText(page, '#instrument-notice', /已加入家庭壓力應對量表第 1 版/);
      await waitForText(page, '#instrument-row-hfs_coping', /貴機構自設/);
      assert.match(await page.textContent('#instrument-row-hfs_coping'), /家庭壓力應對量表.*hfs_coping.*1.*3/);
    });

    const token = await apiToken('worker');
    const client = await created(token, '/api/clients', { name_zh: '鄧家怡', name_en: 'TANG Ka Yi', sex: 'F', date_of_birth: '1985-05-05', district: 'F' });
    const opened = await created(token, '/api/cases', { client_id: client.id, case_type: 'in_depth_counselling', referral_source: 'self' });
    const worker = await browser.newContext({ viewport: { width: 1280, height: 900 } });
    const workerPage = await worker.newPage();
    workerPage.on('pageerror', (error) => pageErrors.push(error.message));
    await step(workerPage, "instruments: a worker administers the agency's own on a case", async () => {
      await signIn(workerPage, 'worker');
      await inChinese(workerPage);
      await workerPage.goto(`${server.base}/cases/${opened.case.id}`);
      await workerPage.click('.assess-link');
      await workerPage.waitForSelector('#assessment-form');
      await workerPage.selectOption('#assessment-client', client.id);
      await workerPage.selectOption('#assessment-instrument', 'hfs_coping');
      await workerPage.selectOption('#assessment-stage', 'pre');
      await workerPage.waitForSelector('#item-3');
      for (const [item, value] of [[1, 2], [2, 2], [3, 1]]) await workerPage.check(`#item-${item}-${value}`);
      await waitForText(workerPage, '#preview-total', /5 · 壓力偏高/);
      await workerPage.click('#assessment-submit');
      const row = workerPage.locator('.assessments tbody tr', { hasText: '家庭壓力應對量表' });
      await row.waitFor();
      assert.match(await row.textContent(), /總分: 5 · 壓力偏高/);
    });
    await worker.close();
    assert.deepEqual(pageErrors, []);
  } finally {
    await context.close();
  }
});

test('a resource admin puts a worksheet on i-Hub, has it reviewed and published; a worker finds it by Chinese words (in its file too), bookmarks and collects it', async () => {
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  const page = await context.newPage();
  const pageErrors = [];
  page.on('pageerror', (error) => pageErrors.push(error.message));
  await step(page, 'hub: contribute', async () => {
    await signIn(page, 'resource-admin');
    await inChinese(page);
    await page.click('a[href="/hub"]');
    await page.waitForSelector('#hub-q');
    await page.click('a[href="/hub/new"]');
    await page.waitForSelector('#hub-title-zh');
    await page.click('#hub-save');
    await page.waitForSelector('#hub-title-zh-error');
    await page.fill('#hub-title-zh', '親子溝通練習工作紙');
    await page.fill('#hub-title-en', 'Parent-child talk worksheet');
    await page.fill('#hub-summary-zh', '十個在家練習的親子溝通活動，附家長反思問題。');
    await page.fill('#hub-summary-en', 'Ten parent-child talk activities to practise at home, with questions for parents.');
    await page.selectOption('#hub-type', 'worksheet');
    await page.check('#hub-topic-parent_child');
    await page.check('#hub-factor-communication');
    await page.check('#hub-audience-parents');
    await page.check('#hub-language-zh_hant');
    await page.selectOption('#hub-licence', 'cc_by_nc');
    await page.fill('#hub-authors', '劉穎欣');
    await page.selectOption('#hub-visibility', 'all_agencies');
    await page.focus('#hub-save');
    await page.keyboard.press('Enter');
    await waitForText(page, '#hub-status', /草稿/);
  });
  await step(page, 'hub: file and review', async () => {
    await page.setInputFiles('#hub-file', {
      name: '練習.txt',
      mimeType: 'text/plain',
      buffer: Buffer.from('第三節：和孩子一起寫情緒日記，每晚分享一件開心事。'),
    });
    await page.click('#hub-upload');
    await page.waitForSelector('text=練習.txt');
    await page.click('#hub-step-submitted');
    await waitForText(page, '#hub-status', /已提交審核/);
    await page.click('#hub-step-approved');
    await waitForText(page, '#hub-status', /已批核/);
    await page.selectOption('#hub-rating', 'promising');
    await page.click('#hub-rate');
    await waitForText(page, '#hub-evidence', /具潛力/);
    await page.click('#hub-step-published');
    await waitForText(page, '#hub-status', /已發佈/);
  });
  const worker = await context.browser().newContext({ viewport: { width: 1280, height: 900 } });
  const workerPage = await worker.newPage();
  workerPage.on('pageerror', (error) => pageErrors.push(error.message));
  await step(workerPage, 'hub: found by Chinese words', async () => {
    await signIn(workerPage, 'worker');
    await inChinese(workerPage);
    await workerPage.goto(`${server.base}/hub`);
    await workerPage.fill('#hub-q', '親子溝通');
    await workerPage.press('#hub-q', 'Enter');
    await waitForText(workerPage, '#hub-total', /共 1 項/);
    assert.match(await workerPage.textContent('#facet-resource_type'), /工作紙 \(1\)/);
    await workerPage.fill('#hub-q', '情緒日記');
    await workerPage.press('#hub-q', 'Enter');
    await waitForText(workerPage, '#hub-total', /共 1 項/);
    await workerPage.click('.hit a');
    await waitForText(workerPage, 'h1', /親子溝通練習工作紙/);
    await waitForText(workerPage, '#hub-evidence', /具潛力（劉穎欣 Lau Wing Yan/);
  });
  await step(workerPage, 'hub: bookmark and collect', async () => {
    await workerPage.click('#hub-bookmark');
    await workerPage.waitForSelector('#hub-bookmark[aria-pressed="true"]');
    await workerPage.goto(`${server.base}/hub/shelf`);
    await workerPage.waitForSelector('.hit');
    await workerPage.fill('#hub-collection-name', '家長小組');
    await workerPage.press('#hub-collection-name', 'Enter');
    await workerPage.waitForSelector('section.collection h2');
    await workerPage.click('.hit a');
    await workerPage.waitForSelector('#hub-collection');
    await workerPage.selectOption('#hub-collection', { label: '家長小組' });
    await workerPage.click('#hub-collect');
    await workerPage.goto(`${server.base}/hub/shelf`);
    await workerPage.waitForSelector('section.collection .hit');
    assert.match(await workerPage.textContent('section.collection'), /親子溝通練習工作紙/);
  });
  assert.deepEqual(pageErrors, []);
  await worker.close();
  await context.close();
});

test('a trainer builds a course in the form (a reading, a quiz, a file and a discussion) and publishes it; a learner enrols, reads, passes its quiz, opens the file, posts in the discussion and receives a certificate that the verification page confirms without signing in', async () => {
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  const page = await context.newPage();
  const pageErrors = [];
  page.on('pageerror', (error) => pageErrors.push(error.message));
  const field = (path) => `#course-${path.replaceAll('.', '-')}`;
  const activity = (a, path) => field(`modules.0.activities.${a}.${path}`);
  await step(page, 'training: build the course in the form and publish it', async () => {
    await signIn(page, 'trainer');
    await inChinese(page);
    await page.click('a[href="/training"]');
    await page.click('a[href="/training/new"]');
    await page.waitForSelector(field('title_zh'));
    // Saving an empty course names each problem beside its field, by the server's rules.
    await page.click('#course-save');
    await waitForText(page, '#course-check', /尚有 \d+ 項需要修正/);
    await page.waitForSelector(`${field('title_zh')}-error`);
    await page.fill(field('title_zh'), '與兒童傾談創傷經歷');
    await page.fill(field('title_en'), 'Talking with children about trauma');
    await page.fill(field('summary_zh'), '如何以兒童明白的語言傾談。');
    await page.fill(field('summary_en'), 'How to talk in words children understand.');
    await page.selectOption(field('category'), 'child_protection');
    await page.selectOption(field('language'), 'cantonese');
    await page.check('#course-audience-social_workers');
    await page.fill(field('cpd_tenths'), '3');
    // A month: due for renewal (within 60 days) from the day it is issued.
    await page.fill(field('certificate_months'), '1');
    await page.fill(field('modules.0.title_zh'), '單元一');
    await page.fill(field('modules.0.title_en'), 'Module 1');
    await page.fill(activity(0, 'title_zh'), '閱讀：開場');
    await page.fill(activity(0, 'title_en'), 'Reading: opening');
    await page.fill(activity(0, 'body'), '先建立安全感，再慢慢傾談。');
    // A quiz, added by keyboard: its first question a single choice, its second true or false.
    await page.selectOption(field('modules.0.new-kind'), 'quiz');
    await page.focus(field('modules.0.add-activity'));
    await page.keyboard.press('Enter');
    await page.fill(activity(1, 'title_zh'), '小測');
    await page.fill(activity(1, 'title_en'), 'Quiz');
    await page.fill(activity(1, 'pass_mark'), '100');
    await page.fill(activity(1, 'attempts'), '3');
    await page.fill(activity(1, 'questions.0.prompt_zh'), '傾談前應先做甚麼？');
    await page.fill(activity(1, 'questions.0.prompt_en'), 'What comes first?');
    await page.fill(activity(1, 'questions.0.choices.0.zh'), '追問細節');
    await page.fill(activity(1, 'questions.0.choices.0.en'), 'Ask for details');
    await page.fill(activity(1, 'questions.0.choices.1.zh'), '建立安全感');
    await page.fill(activity(1, 'questions.0.choices.1.en'), 'Build safety');
    await page.check(activity(1, 'questions.0.correct-1'));
    await page.click(activity(1, 'add-question'));
    await page.selectOption(activity(1, 'questions.1.kind'), 'true_false');
    await page.fill(activity(1, 'questions.1.prompt_zh'), '應以兒童明白的語言傾談。');
    await page.fill(activity(1, 'questions.1.prompt_en'), 'Use words the child understands.');
    await page.check(activity(1, 'questions.1.correct-0'));
    await page.selectOption(field('modules.0.new-kind'), 'file');
    await page.click(field('modules.0.add-activity'));
    await page.fill(activity(2, 'title_zh'), '傾談工作紙');
    await page.fill(activity(2, 'title_en'), 'Worksheet');
    await page.selectOption(field('modules.0.new-kind'), 'discussion');
    await page.click(field('modules.0.add-activity'));
    await page.fill(activity(3, 'title_zh'), '討論：第一次傾談');
    await page.fill(activity(3, 'title_en'), 'Discussion: the first talk');
    await page.fill(activity(3, 'body'), '分享你如何開始第一次傾談。');
    await waitForText(page, '#course-check', /內容正確/);
    await page.click('#course-save');
    await waitForText(page, 'h1', /與兒童傾談創傷經歷/);
    await page.click('a[href$="/edit"]');
    // A file activity's file is added once the course is saved; publishing waits for it.
    await page.setInputFiles(activity(2, 'file'), {
      name: '傾談工作紙.txt', mimeType: 'text/plain', buffer: Buffer.from('第一步：建立安全感。\n'),
    });
    await page.click(`${activity(2, 'file')}-upload`);
    await waitForText(page, '.kept-file', /傾談工作紙\.txt/);
    await page.click('#course-publish');
    await page.waitForSelector('.course');
  });
  const learner = await context.browser().newContext({ viewport: { width: 390, height: 844 } });
  const learnerPage = await learner.newPage();
  learnerPage.on('pageerror', (error) => pageErrors.push(error.message));
  let code;
  await step(learnerPage, 'training: take the course', async () => {
    await signIn(learnerPage, 'learner');
    await inChinese(learnerPage);
    await learnerPage.goto(`${server.base}/training`);
    await learnerPage.fill('#course-search', '沒有這課程');
    await learnerPage.press('#course-search', 'Enter');
    await learnerPage.waitForSelector('#courses-none');
    // Words of either title, in either script and case: 伤 is 傷 folded.
    await learnerPage.fill('#course-search', '兒童 創伤 TRAUMA');
    await learnerPage.press('#course-search', 'Enter');
    await waitForText(learnerPage, '#courses', /與兒童傾談創傷經歷/);
    await learnerPage.click('#courses a:has-text("與兒童傾談創傷經歷")');
    await learnerPage.click('#course-enrol');
    await waitForText(learnerPage, '#course-resume', /閱讀：開場/);
    await learnerPage.click('.activity-done');
    await waitForText(learnerPage, '#course-resume', /小測/);
    await learnerPage.check('input[id$="-q0-c0"]');
    await learnerPage.check('input[id$="-q1-c0"]');
    await learnerPage.click('button[id^="quiz-"]');
    await waitForText(learnerPage, '.quiz-result', /未達合格/);
    await waitForText(learnerPage, '.quiz-meta', /尚餘 2 次/);
    await learnerPage.check('input[id$="-q0-c1"]');
    await learnerPage.click('button[id^="quiz-"]');
    // Opening the file does it.
    await waitForText(learnerPage, '#course-resume', /傾談工作紙/);
    const [worksheet] = await Promise.all([learnerPage.waitForEvent('download'), learnerPage.click('.activity-file')]);
    assert.match(readFileSync(await worksheet.path()).toString(), /建立安全感/);
    // Posting in the discussion does the last one: a thread of the course, on the circle's thread page.
    await waitForText(learnerPage, '#course-resume', /討論：第一次傾談/);
    await learnerPage.fill('input[id^="discussion-"][id$="-title"]', '先建立信任');
    await learnerPage.fill('textarea[id^="discussion-"][id$="-body"]', '我會先陪孩子畫畫，再慢慢傾談。');
    await learnerPage.click('button[id^="discussion-"][id$="-start"]');
    await waitForText(learnerPage, 'h1', /先建立信任/);
    await learnerPage.click('text=返回課程');
    await learnerPage.waitForSelector('#course-complete');
    code = (await learnerPage.textContent('#certificate-link')).trim();
    assert.match(code, /^FL-[0-9A-Z]{4}-[0-9A-Z]{4}-[0-9A-Z]{4}$/);
    const [download] = await Promise.all([learnerPage.waitForEvent('download'), learnerPage.click('#certificate-pdf')]);
    const file = await download.path();
    assert.equal(readFileSync(file).subarray(0, 5).toString(), '%PDF-');
  });
  const stranger = await context.browser().newContext();
  const strangerPage = await stranger.newPage();
  await step(strangerPage, 'training: verified without signing in', async () => {
    await strangerPage.goto(`${server.base}/verify/${code}`);
    await waitForText(strangerPage, '#verify-status', /valid|有效/);
    assert.match(await strangerPage.textContent('#verify-name'), /吳子軒 Ng Tsz Hin/);
    assert.match(await strangerPage.textContent('#verify-result'), /與兒童傾談創傷經歷/);
    assert.equal(await strangerPage.locator('#logout').count(), 0);
  });
  await step(page, 'training: the trainer sees the certificate due for renewal on her home', async () => {
    await page.goto(`${server.base}/`);
    await waitForText(page, '#expiring-certificates', /吳子軒 Ng Tsz Hin/);
    assert.match(await page.textContent('#expiring-certificates'), new RegExp(code));
  });
  await step(learnerPage, 'training: the learner is reminded on her home and enrols again to renew', async () => {
    await learnerPage.goto(`${server.base}/`);
    await waitForText(learnerPage, '#certificate-reminders', /與兒童傾談創傷經歷/);
    assert.match(await learnerPage.textContent('#certificate-reminders'), /到期（尚餘 \d+ 日）/);
    await learnerPage.click('#certificate-reminders .renew-link');
    await waitForText(learnerPage, '#course-renewal', /續期/);
    await learnerPage.click('#course-renew');
    await waitForText(learnerPage, '#course-resume', /閱讀：開場/);
    await learnerPage.goto(`${server.base}/`);
    await waitForText(learnerPage, '#certificate-reminders', /已再次報讀/);
  });
  assert.deepEqual(pageErrors, []);
  await stranger.close();
  await learner.close();
  await context.close();
});

test('an agency admin enrols staff from a list and sees who has not started; a worker writes a reflection the trainer signs off, and her CPD record counts the course beside learning elsewhere, as her agency admin then reads it', async () => {
  const trainer = await apiToken('trainer');
  const course = await created(trainer, '/api/courses', {
    title_zh: '家庭會議的技巧',
    title_en: 'Running family meetings',
    summary_zh: '家庭會議的準備與帶領。',
    summary_en: 'Preparing and leading family meetings.',
    category: 'family_practice',
    language: 'cantonese',
    audiences: ['social_workers'],
    cpd_tenths: 20,
    self_enrol: false,
    modules: [{ title_zh: '單元一', title_en: 'Module 1', activities: [
      { kind: 'page', title_zh: '閱讀', title_en: 'Reading', body: '會議前先與每位家庭成員傾談。' },
      { kind: 'reflection', title_zh: '反思', title_en: 'Reflection', body: '你會如何準備第一次家庭會議？', sign_off: true },
    ] }],
  });
  const published = await fetch(`${server.base}/api/courses/${course.id}/status`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${trainer}` },
    body: JSON.stringify({ to: 'published', version: course.version }),
  });
  assert.equal(published.status, 200);
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 }, acceptDownloads: true });
  const page = await context.newPage();
  const pageErrors = [];
  page.on('pageerror', (error) => pageErrors.push(error.message));
  await step(page, 'training: an agency admin enrols staff', async () => {
    await signIn(page, 'agency-admin');
    await inChinese(page);
    await page.goto(`${server.base}/training/courses/${course.id}`);
    await page.click(`a[href="/training/courses/${course.id}/learners"]`);
    await page.fill('#enrol-usernames', 'worker\nworker3');
    await page.click('#enrol-staff-submit');
    await waitForText(page, '#enrol-errors', /第 2 行/);
    await page.setInputFiles('#enrol-file', {
      name: 'staff.csv',
      mimeType: 'text/csv',
      buffer: Buffer.from('姓名,username,電郵\n陳美玲,worker,\n吳子軒,learner,\n'),
    });
    await page.waitForFunction(() => document.querySelector('#enrol-usernames').value.includes('learner'));
    await page.focus('#enrol-staff-submit');
    await page.keyboard.press('Enter');
    await waitForText(page, '#enrol-result', /已登記 2 人/);
    await waitForText(page, '#learners', /陳美玲 Chan Mei Ling/);
    await page.click('#standing-not_started');
    await waitForText(page, '#learners caption', /2 名學員/);
    const [download] = await Promise.all([page.waitForEvent('download'), page.click('#report-csv')]);
    const text = readFileSync(await download.path(), 'utf8');
    assert.match(text, /吳子軒 Ng Tsz Hin/);
    assert.match(text, /未開始 Not started/);
  });
  const worker = await browser.newContext({ viewport: { width: 390, height: 844 } });
  const workerPage = await worker.newPage();
  workerPage.on('pageerror', (error) => pageErrors.push(error.message));
  await step(workerPage, 'training: a worker records learning elsewhere', async () => {
    await signIn(workerPage, 'worker');
    await inChinese(workerPage);
    await workerPage.goto(`${server.base}/training`);
    await workerPage.click('a[href="/training/cpd"]');
    await workerPage.waitForSelector('#cpd-form');
    // Hong Kong's today, so that the course completed today falls in the same year.
    const day = new Date(Date.now() + 8 * 3600e3).toISOString().slice(0, 10);
    await workerPage.fill('#cpd-title', '創傷知情實務工作坊');
    await workerPage.fill('#cpd-provider', '香港社會服務聯會');
    await workerPage.selectOption('#cpd-kind', 'workshop');
    await workerPage.fill('#cpd-day', day);
    await workerPage.fill('#cpd-hours', '3.5');
    await workerPage.click('#cpd-save');
    await workerPage.waitForSelector('#cpd-reflection-error');
    await workerPage.fill('#cpd-reflection', '家訪時會留意創傷反應。');
    await workerPage.focus('#cpd-save');
    await workerPage.keyboard.press('Enter');
    await waitForText(workerPage, '#cpd-entries', /創傷知情實務工作坊/);
    await waitForText(workerPage, '#cpd-years', /3\.5/);
    assert.match(await workerPage.textContent('#cpd-entries'), /自行申報/);
    await workerPage.setInputFiles('input[id^="evidence-"]', {
      name: '出席證明.txt',
      mimeType: 'text/plain',
      buffer: Buffer.from('出席證明：創傷知情實務工作坊，3.5 小時。'),
    });
    await workerPage.click('.evidence-upload');
    await waitForText(workerPage, '.evidence-download', /出席證明\.txt/);
  });
  await step(workerPage, 'training: a worker writes her reflection', async () => {
    await workerPage.goto(`${server.base}/training/courses/${course.id}`);
    await workerPage.click('.activity-done');
    await workerPage.waitForSelector('textarea[id^="reflection-"]');
    await workerPage.fill('textarea[id^="reflection-"]', '先與每位成員個別傾談，了解各人的期望。');
    await workerPage.click('button[id^="reflection-"][id$="-submit"]');
    await waitForText(workerPage, '.reflection-status', /等待導師確認/);
  });
  const trainerContext = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  const trainerPage = await trainerContext.newPage();
  trainerPage.on('pageerror', (error) => pageErrors.push(error.message));
  await step(trainerPage, 'training: the trainer signs the reflection off', async () => {
    await signIn(trainerPage, 'trainer');
    await inChinese(trainerPage);
    await trainerPage.goto(`${server.base}/training/courses/${course.id}/learners`);
    await waitForText(trainerPage, '#waiting-reflections', /陳美玲 Chan Mei Ling/);
    await trainerPage.click('#waiting-reflections .sign-off');
    await waitForText(trainerPage, '#waiting-reflections h2', /（0）/);
    await waitForText(trainerPage, '#learners', /FL-/);
  });
  await step(workerPage, 'training: the course counts in her CPD record', async () => {
    await workerPage.goto(`${server.base}/training/cpd`);
    await waitForText(workerPage, '#cpd-entries', /家庭會議的技巧/);
    await waitForText(workerPage, '#cpd-years', /5\.5/);
    const [download] = await Promise.all([workerPage.waitForEvent('download'), workerPage.click('#cpd-transcript-pdf')]);
    assert.equal(download.suggestedFilename(), 'cpd-transcript.pdf');
    assert.equal(readFileSync(await download.path()).subarray(0, 5).toString(), '%PDF-');
  });
  await step(page, "training: the agency admin reads her staff's CPD", async () => {
    await page.goto(`${server.base}/training`);
    await page.click('a[href="/training/cpd/staff"]');
    await page.fill('#staff-search', '陳美玲');
    await page.keyboard.press('Enter');
    await waitForText(page, '#staff-cpd caption', /1 名員工/);
    // 2 hours verified and 3.5 self-reported this year, as her own record counts them.
    const row = await page.textContent('#staff-cpd tbody tr');
    assert.match(row, /陳美玲 Chan Mei Ling/);
    assert.match(row, /5\.5/);
    assert.match(row, /3\.5/);
    const [download] = await Promise.all([page.waitForEvent('download'), page.click('#staff-csv')]);
    const text = readFileSync(await download.path(), 'utf8');
    assert.match(text, /陳美玲 Chan Mei Ling/);
    assert.doesNotMatch(text, /林淑儀/);
    const [book] = await Promise.all([page.waitForEvent('download'), page.click('#staff-xlsx')]);
    assert.equal(book.suggestedFilename(), 'staff-cpd.xlsx');
    assert.equal(readFileSync(await book.path()).subarray(0, 2).toString(), 'PK', 'a workbook');
    await page.focus('#staff-cpd tbody a');
    await page.keyboard.press('Enter');
    await waitForText(page, '#staff-record-title', /陳美玲 Chan Mei Ling/);
    await waitForText(page, '#cpd-entries', /家庭會議的技巧/);
    await waitForText(page, '#cpd-years', /5\.5/);
    assert.equal(await page.locator('#cpd-form').count(), 0, 'read only');
    const [evidence] = await Promise.all([page.waitForEvent('download'), page.click('.evidence-download')]);
    assert.equal(evidence.suggestedFilename(), '出席證明.txt');
    assert.match(readFileSync(await evidence.path(), 'utf8'), /3\.5 小時/);
  });
  assert.deepEqual(pageErrors, []);
  await trainerContext.close();
  await worker.close();
  await context.close();
});

test('a worker starts a circle thread in Chinese, retitles it and takes a file off; a worker of another agency finds it by a Chinese word, is refused a phone number, replies and reacts; a trainer hides the reported reply and locks the thread', async () => {
  const pageErrors = [];
  const open = async (username) => {
    const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
    const page = await context.newPage();
    page.on('pageerror', (error) => pageErrors.push(error.message));
    await signIn(page, username);
    await inChinese(page);
    return { context, page };
  };
  const title = '青少年管教：如何開始第一次對話';
  const worker = await open('worker');
  const page = worker.page;
  await step(page, 'circle: a thread started, an HKID refused', async () => {
    await page.click('a[href="/circle"]');
    await page.waitForSelector('#circle-q');
    await page.click('a[href="/circle/new"]');
    await page.waitForSelector('#circle-title');
    assert.match(await page.textContent('#circle-new-privacy'), /保護你服務的家庭/);
    await page.fill('#circle-title', title);
    await page.selectOption('#circle-topic', 'parent_child');
    await page.fill('#circle-body', '個案 A123456(3) 的母親與兒子經常爭吵。');
    await page.waitForSelector('#circle-new-privacy [role="alert"]');
    await page.focus('#circle-start');
    await page.keyboard.press('Enter');
    await waitForText(page, '#circle-body-error', /身份證/);
    await page.fill('#circle-body', '家長與青少年子女衝突時，大家會用什麼方法開始第一次對話？');
    await page.click('#circle-start');
    await waitForText(page, 'h1', /青少年管教/);
  });
  await step(page, 'circle: the title edited by its author', async () => {
    await page.click('#circle-retitle');
    await page.fill('#circle-retitle-title', '青少年管教：第一次對話從何開始');
    // The topics arrive from the taxonomy after the form opens.
    await page.waitForFunction(() => document.querySelector('#circle-retitle-topic')?.value === 'parent_child');
    await page.focus('#circle-save-title');
    await page.keyboard.press('Enter');
    await waitForText(page, 'h1', /第一次對話從何開始/);
    assert.equal(await page.locator('#circle-retitle-title').count(), 0);
  });
  await step(page, 'circle: a file added and taken off, by keyboard, once confirmed', async () => {
    const opening = page.locator('article.post').first();
    await opening.locator('input[type="file"]').setInputFiles({
      name: '工作紙.txt',
      mimeType: 'text/plain',
      buffer: Buffer.from('親子溝通練習：情緒溫度計\n', 'utf8'),
    });
    await opening.getByRole('button', { name: '上載' }).click();
    const remove = opening.getByRole('button', { name: '移除 工作紙.txt' });
    await remove.focus();
    await page.keyboard.press('Enter');
    await waitForText(page, 'article.post [role="group"]', /從此帖移除 工作紙\.txt？/);
    const removed = page.waitForResponse((r) => r.url().includes('/api/circle/attachments/') && r.request().method() === 'DELETE');
    // The confirming button has the focus.
    await page.keyboard.press('Enter');
    assert.equal((await removed).status(), 200);
    await opening.getByRole('button', { name: '下載 工作紙.txt' }).waitFor({ state: 'detached' });
    assert.equal(await opening.getByRole('button', { name: '移除 工作紙.txt' }).count(), 0);
  });
  const other = await open('worker3');
  const otherPage = other.page;
  await step(otherPage, 'circle: found by a Chinese word in another agency, answered', async () => {
    await otherPage.click('a[href="/circle"]');
    await otherPage.fill('#circle-q', '管教');
    await otherPage.press('#circle-q', 'Enter');
    await waitForText(otherPage, '#circle-total', /共 1 個話題/);
    assert.match(await otherPage.textContent('.hit'), /陳美玲 Chan Mei Ling（海港家庭服務協會）/);
    await otherPage.click('.hit a');
    await waitForText(otherPage, 'h1', /青少年管教/);
    assert.equal(await otherPage.locator('#circle-retitle').count(), 0, 'not hers to retitle');
    await otherPage.fill('#circle-reply', '可以打 9123 4567 直接找陳太。');
    await waitForText(otherPage, '#circle-reply-privacy [role="alert"]', /電話號碼/);
    await otherPage.click('#circle-send-reply');
    await waitForText(otherPage, '#circle-reply-error', /電話號碼/);
    assert.equal(await otherPage.getAttribute('#circle-reply', 'aria-invalid'), 'true');
    await otherPage.fill('#circle-reply', '住在天水圍的陳太一家，我們先約家長個別傾談，再安排三方會面。');
    await otherPage.click('#circle-send-reply');
    await waitForText(otherPage, '#circle-replies-heading', /1 個回覆/);
    const opening = otherPage.locator('article.post').first();
    await opening.getByRole('button', { name: '有幫助（0）' }).click();
    await opening.locator('button[aria-pressed="true"]', { hasText: '有幫助（1）' }).waitFor();
  });
  await step(page, 'circle: the reply reported', async () => {
    await page.reload();
    await waitForText(page, '#circle-replies-heading', /1 個回覆/);
    const reply = page.locator('article.post').nth(1);
    await reply.locator('summary', { hasText: '向版主舉報' }).click();
    await reply.getByLabel('為何需要版主查看此帖？').fill('提及地區和稱呼，可能認出家庭');
    const reported = page.waitForResponse((r) => r.url().endsWith('/reports') && r.request().method() === 'POST');
    await reply.getByRole('button', { name: '提交舉報' }).click();
    assert.equal((await reported).status(), 201);
  });
  const trainer = await open('trainer');
  const trainerPage = trainer.page;
  await step(trainerPage, 'circle: the trainer hides the reply and locks the thread', async () => {
    await trainerPage.click('a[href="/circle"]');
    await trainerPage.click('a[href="/circle/reports"]');
    await trainerPage.waitForSelector('section.reported');
    assert.match(await trainerPage.textContent('section.reported'), /提及地區和稱呼，可能認出家庭/);
    const thread = await trainerPage.getAttribute('section.reported h2 a', 'href');
    await trainerPage.locator('section.reported summary', { hasText: '版主處理' }).click();
    await trainerPage.locator('section.reported').getByLabel('隱藏原因').fill('可識別服務使用者');
    await trainerPage.locator('section.reported').getByRole('button', { name: '隱藏帖子' }).click();
    await trainerPage.waitForSelector('text=0 個帖子有待處理的舉報');
    await trainerPage.goto(`${server.base}${thread}`);
    await waitForText(trainerPage, 'h1', /青少年管教/);
    await trainerPage.click('#circle-lock');
    await waitForText(trainerPage, '#circle-locked', /李嘉敏 Lee Ka Man/);
  });
  await step(otherPage, 'circle: the author still reads her words; the thread takes no replies', async () => {
    await otherPage.reload();
    await otherPage.waitForSelector('#circle-locked');
    assert.equal(await otherPage.locator('#circle-reply').count(), 0);
    const reply = otherPage.locator('article.post').nth(1);
    assert.match(await reply.textContent(), /此帖已被版主隱藏。 原因：可識別服務使用者/);
    assert.match(await reply.textContent(), /三方會面/);
  });
  await step(page, 'circle: others see only that it was hidden', async () => {
    await page.reload();
    await page.waitForSelector('#circle-locked');
    const reply = page.locator('article.post').nth(1);
    assert.match(await reply.textContent(), /此帖已被版主隱藏/);
    assert.doesNotMatch(await reply.textContent(), /三方會面/);
  });
  assert.deepEqual(pageErrors, []);
  for (const { context } of [worker, other, trainer]) await context.close();
});

test('another centre cannot find or open a client, and sign-out ends the session', async () => {
  const name = await registerThroughApi('worker', '隔離測試', 'APART Test');
  const context = await browser.newContext();
  const page = await context.newPage();
  await step(page, 'other centre', async () => {
    await signIn(page, 'worker2');
    await page.goto(`${server.base}/clients`);
    await page.fill('#client-search', name);
    await page.press('#client-search', 'Enter');
    await page.waitForSelector('.result-count');
    assert.equal(await page.locator('a', { hasText: name }).count(), 0);
    // Opening the record by its address answers as if it did not exist.
    await page.goto(`${server.base}/clients/${registered.get(name)}`);
    await page.waitForSelector('h1');
    assert.match(await page.textContent('main'), /找不到|not found/i);
    assert.doesNotMatch(await page.textContent('main'), /APART/);
  });
  await step(page, 'sign out', async () => {
    await page.click('#logout');
    await page.waitForSelector('#username');
    await page.goto(`${server.base}/clients`);
    await page.waitForSelector('#username');
  });
  await context.close();
});

test('an unattended session warns, can be kept, then ends', async () => {
  const context = await browser.newContext();
  const page = await context.newPage();
  // The page's clock is the test's: half an hour passes in an instant.
  await page.clock.install();
  await step(page, 'sign in', () => signIn(page, 'worker'));
  await step(page, 'warned a minute before', async () => {
    assert.equal(await page.locator('#idle-warning').count(), 0);
    await page.clock.fastForward('28:45');
    await page.waitForSelector('#idle-warning');
    assert.equal(await page.evaluate(() => document.activeElement?.id), 'stay-signed-in');
  });
  await step(page, 'kept by the user', async () => {
    await page.keyboard.press('Enter');
    await page.waitForSelector('#idle-warning', { state: 'detached' });
    await page.clock.fastForward('05:00');
    assert.equal(await page.locator('#idle-warning').count(), 0);
    assert.equal(await page.locator('#logout').count(), 1);
  });
  await step(page, 'ended when left alone', async () => {
    await page.clock.fastForward('31:00');
    await page.waitForSelector('#username');
    // The login page says why, until the user signs in again.
    assert.match(await page.textContent('#signed-out-idle'), /without activity|沒有操作/);
    await signIn(page, 'worker');
    await page.click('#logout');
    await page.waitForSelector('#username');
    assert.equal(await page.locator('#signed-out-idle').count(), 0);
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
