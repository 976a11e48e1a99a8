// Starts the release server on a fresh database and a headless Chromium beside it.
import { spawn } from 'node:child_process';
import { mkdtempSync, mkdirSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { createServer } from 'node:net';
import { chromium } from 'playwright-core';

export const root = resolve(import.meta.dirname, '..');
export const artifacts = join(root, 'e2e', 'artifacts');

async function freePort() {
  return new Promise((ok, fail) => {
    const probe = createServer();
    probe.listen(0, '127.0.0.1', () => {
      const { port } = probe.address();
      probe.close(() => ok(port));
    });
    probe.on('error', fail);
  });
}

/// Starts the release server on a fresh database; `env` adds or overrides settings.
export async function startServer(env = {}) {
  const binary = join(root, 'target', 'release', 'familylink');
  if (!existsSync(binary)) throw new Error(`${binary} is missing: build with cargo build --release -p api`);
  if (!existsSync(join(root, 'dist', 'index.html'))) throw new Error('dist/ is missing: build the app with trunk build --release');
  const data = mkdtempSync(join(tmpdir(), 'familylink-e2e-'));
  const keys = mkdtempSync(join(tmpdir(), 'familylink-e2e-keys-'));
  const port = await freePort();
  const base = `http://127.0.0.1:${port}`;
  const child = spawn(binary, ['serve', '--demo'], {
    env: {
      ...process.env,
      DATABASE_URL: join(data, 'familylink.db'),
      FAMILYLINK_DATA_DIR: data,
      FAMILYLINK_KEY_DIR: keys,
      FAMILYLINK_BIND: `127.0.0.1:${port}`,
      FAMILYLINK_DIST: join(root, 'dist'),
      // Every request is logged, so a journey can check what the log holds.
      RUST_LOG: 'info',
      NO_COLOR: '1',
      ...env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let log = '';
  for (const stream of [child.stdout, child.stderr]) {
    stream.setEncoding('utf8');
    stream.on('data', (chunk) => {
      log += chunk;
    });
  }
  for (let i = 0; i < 100; i++) {
    try {
      const reply = await fetch(`${base}/api/health`);
      if (reply.ok) return { base, log: () => log, stop: () => child.kill('SIGTERM') };
    } catch {
      // not listening yet
    }
    if (child.exitCode !== null) throw new Error(`server exited with ${child.exitCode}`);
    await new Promise((r) => setTimeout(r, 200));
  }
  child.kill('SIGTERM');
  throw new Error('server did not become healthy');
}

export async function startBrowser() {
  return chromium.launch({
    executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
    headless: true,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--no-first-run',
    ],
  });
}

/// Runs one step of a journey; on failure saves a screenshot named after it.
export async function step(page, name, body) {
  try {
    await body();
  } catch (error) {
    mkdirSync(artifacts, { recursive: true });
    const file = join(artifacts, `${name.replace(/[^a-z0-9]+/gi, '-')}.png`);
    await page.screenshot({ path: file, fullPage: true }).catch(() => {});
    error.message += `\n(screenshot: ${file})`;
    throw error;
  }
}

/** Clicks a point of a plotly chart: plotly.js takes clicks on its drag layer and finds
 * the point under the pointer, once the pointer has hovered it. */
export async function clickPlotPoint(page, chart, point) {
  await point.scrollIntoViewIfNeeded();
  const box = await point.boundingBox();
  const [x, y] = [box.x + box.width / 2, box.y + box.height / 2];
  await page.mouse.move(x - 5, y);
  await page.mouse.move(x, y);
  await page.waitForSelector(`${chart} .hoverlayer .hovertext`);
  await page.mouse.click(x, y);
}
