// How long each DAS board takes in Chromium until all its charts are drawn, at the
// generator's scale: the release server on a database kept by bench/das-load (KEEP_DB),
// each board opened twice by each user named. Target: interactive within 2 s. SQLite's
// kept database unless DATABASE_URL names another (PostgreSQL's kept one).
//   KEEP_DB=/work/bench-db node bench/das-page.mjs gls-cw-sup admin
import { join, resolve } from 'node:path';
import { startServer, startBrowser } from '../e2e/harness.mjs';

const kept = resolve(process.env.KEEP_DB || 'bench-db');
const server = await startServer({
  DATABASE_URL: process.env.DATABASE_URL || join(kept, 'seed-s10.db'),
  FAMILYLINK_KEY_DIR: join(kept, 'keys'),
  FAMILYLINK_DATA_DIR: join(kept, 'data'),
  RUST_LOG: 'warn',
});
const browser = await startBrowser();
// The first board opened after the start also waits for the model's first read.
for (const user of process.argv.slice(2)) {
  const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
  await page.goto(`${server.base}/login`);
  await page.fill('#username', user);
  await page.fill('#password', 'familylink-demo');
  await page.press('#password', 'Enter');
  await page.waitForSelector('#logout');
  for (const [name, path, sel] of [
    ['problems', '/das/problems?from=2021-04-01&until=2022-03-31', ['#das-cases-by-district .main-svg', '#das-natures-by-district .main-svg', '#das-new-by-month .main-svg', '#das-map path']],
    ['profile', '/das/profile?from=2021-04-01&until=2022-03-31', ['#das-age-sex .main-svg', '#das-persons-by-disability .main-svg', '#das-map path']],
    ['complexity', '/das/complexity?from=2021-04-01&until=2022-03-31', ['#das-co-occurrence .main-svg']],
    ['risk', '/das/risk-factors/complex?from=2021-04-01&until=2022-03-31', ['#das-risk-table tbody tr']],
    ['themes', '/das/themes?from=2021-04-01&until=2022-03-31', ['#das-themes-by-month .main-svg', '#das-themes-by-district .main-svg', '#das-themes-by-nature .main-svg']],
  ]) {
    for (let round = 0; round < 2; round++) {
      const t = Date.now();
      await page.goto(`${server.base}${path}`);
      for (const s of sel) await page.waitForSelector(s, { timeout: 60000 });
      console.log(`${user}: ${name}, ${round ? 'again' : 'first'}: ${Date.now() - t} ms`);
    }
  }
  await page.close();
}
await browser.close();
server.stop();
